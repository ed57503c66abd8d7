"""Barrier similarity: which backlog items most likely describe the same barrier.

Pure Python and numpy; nothing from Django. A barrier's text (title and description) becomes a
unit vector (`encoder.encode`, a sentence-embedding model run with ONNX Runtime, so paraphrases
that share no words still land close together); an item's vector is the normalised sum of its
reports' vectors; likely duplicates are the items whose vectors have the largest dot product
with the query, best first (`rank`). Vectors travel as float32 bytes (`to_bytes`,
`from_bytes`) so that the database stores them on SQLite and PostgreSQL alike.

Measured on tests/barriers/data/paraphrases.json (51 paraphrase pairs, 45 distractors): see
`recall_at_k` and tests/barriers/test_similarity.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

DIMENSIONS = 384
DTYPE = np.float32
# Below this cosine an item is not offered as a duplicate at all: on the labelled set the least
# similar true pair scores 0.37 (median 0.58), so 0.3 keeps every true duplicate.
MIN_SCORE = 0.3


@dataclass(frozen=True)
class Match:
    """One suggested duplicate: the item's id and its cosine similarity to the query."""

    item_id: int
    score: float


def barrier_text(title: str, description: str = "") -> str:
    """The text a barrier is embedded from: its title, then its description."""
    title, description = (title or "").strip(), (description or "").strip()
    if title and description:
        return f"{title.rstrip('.')}. {description}"
    return title or description


def normalise(vector: np.ndarray) -> np.ndarray:
    """The unit vector along `vector` (all zeros stays all zeros)."""
    vector = np.asarray(vector, dtype=DTYPE)
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector


def combine(vectors: Iterable[np.ndarray]) -> np.ndarray:
    """An item's vector from its reports' vectors: the normalised sum (their centroid's
    direction), so every phrasing of the barrier pulls the item towards itself."""
    total = np.zeros(DIMENSIONS, dtype=DTYPE)
    for vector in vectors:
        total += vector
    return normalise(total)


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=DTYPE).tobytes()


def from_bytes(data: bytes | memoryview | None) -> np.ndarray | None:
    if data is None or len(data) != DIMENSIONS * np.dtype(DTYPE).itemsize:
        return None
    vector = np.frombuffer(bytes(data), dtype=DTYPE)
    return vector if vector.shape == (DIMENSIONS,) else None


def stack(rows: Sequence[tuple[int, bytes | memoryview]]) -> tuple[np.ndarray, np.ndarray]:
    """(ids, matrix) from (id, vector bytes) rows; rows whose bytes are not a vector are left
    out. The matrix is C-contiguous float32, one row per id."""
    ids, vectors = [], []
    for item_id, data in rows:
        vector = from_bytes(data)
        if vector is not None:
            ids.append(item_id)
            vectors.append(vector)
    if not vectors:
        return np.zeros(0, dtype=np.int64), np.zeros((0, DIMENSIONS), dtype=DTYPE)
    return np.asarray(ids, dtype=np.int64), np.vstack(vectors)


def rank(
    query: np.ndarray,
    ids: np.ndarray,
    matrix: np.ndarray,
    *,
    limit: int = 5,
    exclude: Iterable[int] = (),
    min_score: float = MIN_SCORE,
) -> list[Match]:
    """The `limit` items most similar to `query`, best first, ties broken by the smaller id;
    items in `exclude` and those scoring under `min_score` are left out. One matrix-vector
    product: 10,000 items of 384 dimensions take about a millisecond."""
    if len(ids) == 0 or limit <= 0:
        return []
    scores = matrix @ np.asarray(query, dtype=DTYPE)
    excluded = set(exclude)
    if excluded:
        scores = np.where(np.isin(ids, list(excluded)), -np.inf, scores)
    wanted = min(len(ids), limit + len(excluded))
    if wanted < len(ids):
        top = np.argpartition(-scores, wanted - 1)[:wanted]
    else:
        top = np.arange(len(ids))
    order = sorted(top, key=lambda i: (-float(scores[i]), int(ids[i])))
    return [
        Match(int(ids[i]), round(float(scores[i]), 4))
        for i in order
        if np.isfinite(scores[i]) and scores[i] >= min_score
    ][:limit]


def recall_at_k(
    vectors_a: np.ndarray, vectors_b: np.ndarray, distractors: np.ndarray, k: int = 3
) -> float:
    """On a labelled set: pair i is (vectors_a[i], vectors_b[i]). Each side of each pair is a
    query against every other text (the other sides and the distractors); the recall is the
    share of queries whose partner is among the first `k`."""
    corpus = np.vstack([vectors_a, vectors_b, distractors]).astype(DTYPE)
    n = len(vectors_a)
    ids = np.arange(len(corpus))
    hits = 0
    for query, partner in [(i, n + i) for i in range(n)] + [(n + i, i) for i in range(n)]:
        found = rank(corpus[query], ids, corpus, limit=k, exclude=[query], min_score=-1.0)
        hits += partner in {match.item_id for match in found}
    return hits / (2 * n) if n else 0.0
