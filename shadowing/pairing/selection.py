"""Deterministic selection over numpy arrays, shared by the candidate space and the solver.

The tie-break hash, the ``k`` best entries per executive, and membership in sorted keys.
"""

from __future__ import annotations

import numpy as np


def tie_key(e: np.ndarray, slot: np.ndarray) -> np.ndarray:
    """A deterministic pseudo-random tie-break, so equal-cost executives spread over slots."""
    h = (slot.astype(np.uint64) * np.uint64(2654435761)) ^ (e.astype(np.uint64) * np.uint64(40503))
    h ^= h >> np.uint64(13)
    return (h * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(33)


def top_k_per_exec(e: np.ndarray, score: np.ndarray, tie: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` best (lowest score) entries per executive, deterministic."""
    if len(e) == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort((tie, score, e))
    es = e[order]
    first = np.r_[0, np.flatnonzero(es[1:] != es[:-1]) + 1]
    run_start = np.repeat(first, np.diff(np.r_[first, len(es)]))
    rank = np.arange(len(es)) - run_start
    return order[rank < k]


def in_sorted(keys: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
    """Whether each of ``keys`` is in ``sorted_keys`` (sorted ascending)."""
    if len(sorted_keys) == 0 or len(keys) == 0:
        return np.zeros(len(keys), dtype=bool)
    pos = np.searchsorted(sorted_keys, keys)
    pos[pos == len(sorted_keys)] = len(sorted_keys) - 1
    return sorted_keys[pos] == keys
