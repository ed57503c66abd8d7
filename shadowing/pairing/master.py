"""The restricted master problem's data: its columns and the weights of the lexicographic
objective (most visits, then most kept, then cost) shared by the flow and the MIP.
"""

from __future__ import annotations

import numpy as np

from shadowing.pairing.space import Space


class Columns:
    """The restricted master's columns, kept in insertion order (deterministic)."""

    def __init__(self, space: Space, e, slot, cost) -> None:
        self.space = space
        self.e, self.slot, self.cost = e, slot, cost
        self._sync()

    def _sync(self) -> None:
        s = self.space
        self.keys = np.sort(s.col_key(self.e, self.slot))
        self.keep = np.isin(s.col_key(self.e, self.slot), s.prev_keys)

    def add(self, e, slot, cost) -> None:
        self.e = np.r_[self.e, e]
        self.slot = np.r_[self.slot, slot]
        self.cost = np.r_[self.cost, cost]
        self._sync()

    def __len__(self) -> int:
        return len(self.e)


class Weights:
    def __init__(self, space: Space) -> None:
        s = space
        u = min(int(s.exec_days.sum()), int(s.agent_cap.sum()), s.n_slots)
        cmax = int(s.pair_base.max()) if s.n_pairs else 0
        cmax += int(s.slot_cost.max()) if s.n_slots else 0
        cmax += s.problem.costs.repeat_pair if len(s.past_keys) else 0
        self.u = max(u, 1)
        self.w2 = self.u * cmax + 1 if len(s.prev_keys) else 0
        self.w1 = self.u * (self.w2 + cmax) + 1

    def objective(self, cols: Columns) -> np.ndarray:
        return cols.cost - self.w1 - self.w2 * cols.keep.astype(np.int64)
