"""The candidate space as the solver queries it: ``Space`` adds to the compiled arrays the
previous visits still feasible and the column queries (exact cost of given columns, expansion
of pairs into columns, counting the triples), the seed and pricing by reduced cost.
"""

from __future__ import annotations

import numpy as np

from shadowing.pairing.candidates import CompiledSpace
from shadowing.pairing.model import Problem
from shadowing.pairing.selection import in_sorted, tie_key, top_k_per_exec


class Space(CompiledSpace):
    """The compiled problem. Attributes are numpy arrays indexed by dense positions.

    Guarantees: positions follow sorted ids, so the same problem compiles to the same arrays;
    ``expand`` yields exactly the feasible columns of the given pairs (hard rules 1, 2, 3, 6 and
    what locked visits leave); capacities (rules 4, 5, 7) are left to the solver.
    """

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem)
        self._build_previous(problem)

    def _build_previous(self, p: Problem) -> None:
        locked = set(self.locked)
        es, ss = [], []
        for v in sorted(set(p.previous)):
            if v in locked:
                continue
            ei, ai, d = (
                self.exec_idx.get(v.executive),
                self.agent_idx.get(v.agent),
                self.date_idx.get(v.date),
            )
            if ei is None or ai is None or d is None:
                continue
            slot = self.slot_of.get((ai, d))
            if slot is None:
                continue
            es.append(ei)
            ss.append(slot)
        e = np.array(es, dtype=np.int64)
        s = np.array(ss, dtype=np.int64)
        cols = self.columns_for(e, s)
        self.prev_exec, self.prev_slot, self.prev_cost = cols
        self.prev_keys = np.sort(self.prev_exec * max(self.n_slots, 1) + self.prev_slot)

    # ---------------------------------------------------------------- columns
    def col_key(self, e: np.ndarray, slot: np.ndarray) -> np.ndarray:
        return e * max(self.n_slots, 1) + slot

    def _finish(self, e, slot, base):
        """Exact cost of (e, slot) given its pair base; drops infeasible (excluded) ones."""
        a = self.slot_agent[slot]
        ea = e * self.n_agents + a
        ok = ~in_sorted(ea, self.excl_keys)
        e, slot, base, ea = e[ok], slot[ok], base[ok], ea[ok]
        cost = base + self.slot_cost[slot]
        if len(self.past_keys):
            cost = cost + self.problem.costs.repeat_pair * in_sorted(ea, self.past_keys)
        return e, slot, cost

    def columns_for(self, e: np.ndarray, slot: np.ndarray):
        """The feasible ones among given (executive, slot) columns, with their exact cost."""
        if len(e) == 0:
            z = np.zeros(0, np.int64)
            return z, z.copy(), z.copy()
        key = e * max(self.n_groups, 1) + self.slot_group[slot]
        pos = np.searchsorted(self.pair_key, key)
        pos[pos == len(self.pair_key)] = max(len(self.pair_key) - 1, 0)
        ok = (self.pair_key[pos] == key) if len(self.pair_key) else np.zeros(len(e), bool)
        return self._finish(e[ok], slot[ok], self.pair_base[pos[ok]])

    def expand(self, pairs: np.ndarray):
        """All feasible columns of the given pairs: (executive, slot, cost, pair)."""
        g = self.pair_group[pairs]
        lens = self.group_len[g]
        total = int(lens.sum())
        offs = np.repeat(np.cumsum(lens) - lens, lens)
        slot = np.repeat(self.group_start[g], lens) + (np.arange(total) - offs)
        pr = np.repeat(pairs, lens)
        e = self.pair_exec[pr].astype(np.int64)
        a = self.slot_agent[slot]
        ea = e * self.n_agents + a
        ok = ~in_sorted(ea, self.excl_keys)
        e, slot, pr, ea = e[ok], slot[ok], pr[ok], ea[ok]
        cost = self.pair_base[pr] + self.slot_cost[slot]
        if len(self.past_keys):
            cost = cost + self.problem.costs.repeat_pair * in_sorted(ea, self.past_keys)
        return e, slot, cost

    def count_candidates(self) -> int:
        """Feasible triples, counted without building them (exclusions subtracted exactly)."""
        if self.n_pairs == 0:
            return 0
        total = int(self.group_len[self.pair_group].sum())
        if len(self.excl_keys) and self.n_slots:
            # an excluded (e, a) removes each slot of a whose group is paired with e
            by_agent = np.argsort(self.slot_agent, kind="stable")
            start = np.searchsorted(self.slot_agent[by_agent], np.arange(self.n_agents + 1))
            ex_e = self.excl_keys // self.n_agents
            ex_a = self.excl_keys % self.n_agents
            lens = start[ex_a + 1] - start[ex_a]
            offs = np.repeat(np.cumsum(lens) - lens, lens)
            slot = by_agent[np.repeat(start[ex_a], lens) + np.arange(int(lens.sum())) - offs]
            key = np.repeat(ex_e, lens) * max(self.n_groups, 1) + self.slot_group[slot]
            total -= int(in_sorted(key, self.pair_key).sum())
        return total

    def seed(self, k: int):
        """About ``k`` cheap columns per executive, plus the previous visits still feasible.

        Only a starting point (pricing proves the optimum whatever it is), so it is chosen in
        linear time: per executive, the cost level at which its groups first hold ``k`` slots
        is found from a histogram, groups below it are taken whole, and groups at that level
        are sampled by a deterministic hash, so executives with equal costs spread out.
        """
        z = np.zeros(0, np.int64)
        if self.n_pairs == 0:
            return z, z.copy(), z.copy()
        gmin = np.minimum.reduceat(self.slot_cost, self.group_start)
        lb = self.pair_base + gmin[self.pair_group]
        levels = int(lb.max()) + 1
        lens = self.group_len[self.pair_group]
        hist = np.bincount(
            self.pair_exec.astype(np.int64) * levels + lb,
            weights=lens,
            minlength=self.n_execs * levels,
        ).reshape(self.n_execs, levels)
        cum = np.cumsum(hist, axis=1)
        level = np.minimum((cum < k).sum(axis=1), levels - 1)  # first level reaching k slots
        rows = np.arange(self.n_execs)
        below = np.where(level > 0, cum[rows, np.maximum(level - 1, 0)], 0)
        at = hist[rows, level]
        share = np.minimum(1.0, 2.0 * np.maximum(k - below, 1) / np.maximum(at, 1))
        lvl = level[self.pair_exec]
        tie = tie_key(self.pair_exec, self.pair_group).astype(np.float64) / 2.0**31
        chosen = np.flatnonzero((lb < lvl) | ((lb == lvl) & (tie < share[self.pair_exec])))
        e, slot, cost = self.expand(chosen)
        pick = top_k_per_exec(e, cost, tie_key(e, slot), k)
        e, slot, cost = e[pick], slot[pick], cost[pick]
        e = np.r_[e, self.prev_exec]
        slot = np.r_[slot, self.prev_slot]
        cost = np.r_[cost, self.prev_cost]
        key = self.col_key(e, slot)
        _, idx = np.unique(key, return_index=True)
        return e[idx], slot[idx], cost[idx]

    def price(
        self,
        u_exec: np.ndarray,
        v_slot: np.ndarray,
        u_exec_date: np.ndarray | None,
        existing: np.ndarray,
        threshold: float,
        per_exec: int | None,
        ea_price: tuple[np.ndarray, np.ndarray] | None = None,
    ):
        """Columns whose reduced cost is below ``threshold``.

        The reduced cost of column (e, slot) is ``cost + u_exec[e] + u_exec_date[e, date] +
        v_slot[slot] (+ the price of the (e, agent) row when there is one)``. Groups are
        bounded from below first, so only groups that may hold such a column are expanded.
        With ``per_exec`` set, each executive gets at most that many (its best ones); the
        returned ``complete`` is True when every column below the threshold was examined, so
        an empty answer with ``complete`` proves that none exists.
        """
        z = np.zeros(0, np.int64)
        if self.n_pairs == 0:
            return (z, z.copy(), z.copy()), True
        w = self.slot_cost + v_slot
        gmin = np.minimum.reduceat(w, self.group_start)
        lb = self.pair_base + gmin[self.pair_group] + u_exec[self.pair_exec]
        if u_exec_date is not None:
            lb = lb + u_exec_date[self.pair_exec, self.group_date[self.pair_group]]
        cand = np.flatnonzero(lb < threshold)
        complete = True
        if per_exec is not None and len(cand):
            sel = top_k_per_exec(
                self.pair_exec[cand], lb[cand], tie_key(self.pair_exec[cand], cand), per_exec
            )
            complete = len(sel) == len(cand)
            cand = cand[np.sort(sel)]
        if len(cand) == 0:
            return (z, z.copy(), z.copy()), True
        e, slot, cost = self.expand(cand)
        rc = cost + w[slot] - self.slot_cost[slot] + u_exec[e]
        if u_exec_date is not None:
            rc = rc + u_exec_date[e, self.slot_date[slot]]
        if ea_price is not None and len(ea_price[0]):
            keys, prices = ea_price
            ea = e * self.n_agents + self.slot_agent[slot]
            pos = np.searchsorted(keys, ea)
            pos[pos == len(keys)] = len(keys) - 1
            hit = keys[pos] == ea
            rc = rc + np.where(hit, prices[pos], 0)
        ok = (rc < threshold) & ~in_sorted(self.col_key(e, slot), existing)
        e, slot, cost, rc = e[ok], slot[ok], cost[ok], rc[ok]
        if per_exec is not None:
            pick = top_k_per_exec(e, rc, tie_key(e, slot), per_exec)
            pick.sort()
            e, slot, cost = e[pick], slot[pick], cost[pick]
        return (e, slot, cost), complete
