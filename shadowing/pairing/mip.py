"""Phase 2: the full model as rows over the current columns, its LP relaxation and its
integer program (HiGHS through SciPy), and the LP duals turned into prices for
``Space.price``.
"""

from __future__ import annotations

import numpy as np

from shadowing.pairing.candidates import NO_LIMIT
from shadowing.pairing.master import Columns
from shadowing.pairing.space import Space


class Rows:
    """Constraint rows of the full model over the current columns (absent rows are slack)."""

    def __init__(self, space: Space, cols: Columns) -> None:
        s = space
        n = len(cols)
        A, D = s.n_agents, s.n_dates
        agent = s.slot_agent[cols.slot]
        date = s.slot_date[cols.slot]
        parts, rhs = [], []
        self.kind: list[tuple[str, np.ndarray]] = []
        r0 = 0

        def family(name, key, cap_of):
            nonlocal r0
            uniq, inv = np.unique(key, return_inverse=True)
            cap = cap_of(uniq)
            parts.append((inv + r0, np.arange(n)))
            rhs.append(cap)
            self.kind.append((name, uniq, r0))
            r0 += len(uniq)

        def family_if_shared(name, key, cap_of, keep_row):
            nonlocal r0
            uniq, inv, cnt = np.unique(key, return_inverse=True, return_counts=True)
            keep = keep_row(uniq, cnt)
            row_of = np.full(len(uniq), -1)
            row_of[keep] = r0 + np.arange(int(keep.sum()))
            sel = keep[inv]
            parts.append((row_of[inv[sel]], np.flatnonzero(sel)))
            rhs.append(cap_of(uniq[keep]))
            self.kind.append((name, uniq[keep], r0))
            r0 += int(keep.sum())

        family("exec", cols.e, lambda u: s.exec_days[u])
        family("slot", cols.slot, lambda u: np.ones(len(u), np.int64))
        family("agent", agent, lambda u: s.agent_cap[u])
        multi = s.exec_days[cols.e] >= 2
        if multi.any():
            family_if_shared(
                "exec_date",
                cols.e * D + date,
                lambda u: np.ones(len(u), np.int64),
                lambda u, c: (c > 1) & (s.exec_days[u // D] >= 2),
            )
            family_if_shared(
                "exec_agent",
                cols.e * A + agent,
                lambda u: np.ones(len(u), np.int64),
                lambda u, c: (c > 1) & (s.exec_days[u // A] >= 2),
            )
        sd = s.slot_sd[cols.slot]
        # a site-day row matters once more of its agent-days are columns than it can take
        sd_u, sd_n = np.unique(s.slot_sd[np.unique(cols.slot)], return_counts=True)
        cap_flat = s.sd_cap.reshape(-1)
        binding = sd_u[(cap_flat[sd_u] < NO_LIMIT) & (sd_n > cap_flat[sd_u])]
        family_if_shared("site_day", sd, lambda u: cap_flat[u], lambda u, c: np.isin(u, binding))
        import scipy.sparse as sp

        rows = np.concatenate([p[0] for p in parts])
        colsi = np.concatenate([p[1] for p in parts])
        self.matrix = sp.csc_matrix((np.ones(len(rows)), (rows, colsi)), shape=(r0, n))
        self.rhs = np.concatenate(rhs).astype(np.float64)
        self.n_rows = r0

    def prices(self, space: Space, duals: np.ndarray, w1: int):
        """Turn row prices (>= 0) into the arguments of ``Space.price``."""
        s = space
        E, D, A = s.n_execs, s.n_dates, s.n_agents
        u_exec = np.full(E, -float(w1))
        v_slot = np.zeros(s.n_slots)
        agent_p = np.zeros(A)
        sd_p = np.zeros(s.n_sites * D)
        u_ed = None
        ea = (np.zeros(0, np.int64), np.zeros(0))
        for name, uniq, r0 in self.kind:
            y = duals[r0 : r0 + len(uniq)]
            if name == "exec":
                u_exec[uniq] += y
            elif name == "slot":
                v_slot[uniq] += y
            elif name == "agent":
                agent_p[uniq] = y
            elif name == "site_day":
                sd_p[uniq] = y
            elif name == "exec_date":
                u_ed = np.zeros((E, D))
                u_ed.reshape(-1)[uniq] = y
            elif name == "exec_agent":
                ea = (uniq, y)
        v_slot += agent_p[s.slot_agent] + sd_p[s.slot_sd]
        if u_ed is None and (s.exec_days >= 2).any():
            u_ed = np.zeros((E, D))
        return u_exec, v_slot, u_ed, ea


def solve_lp(rows: Rows, obj: np.ndarray):
    from scipy.optimize import linprog

    res = linprog(
        obj,
        A_ub=rows.matrix,
        b_ub=rows.rhs,
        bounds=(0, None),
        method="highs-ds",
        options={"presolve": False},  # measured: presolve doubles the time on these LPs
    )
    if res.status != 0:
        raise RuntimeError(f"LP failed: {res.message}")
    return res.x, -res.ineqlin.marginals


def solve_mip(rows: Rows, obj: np.ndarray):
    from scipy.optimize import Bounds, LinearConstraint, milp

    res = milp(
        obj,
        constraints=LinearConstraint(rows.matrix, -np.inf, rows.rhs),
        integrality=np.ones(len(obj)),
        bounds=Bounds(0, 1),
        options={"mip_rel_gap": 0.0, "presolve": True},
    )
    if res.x is None or res.status != 0:
        raise RuntimeError(f"MIP failed: {res.message}")
    x = np.rint(res.x).astype(np.int64)
    return x
