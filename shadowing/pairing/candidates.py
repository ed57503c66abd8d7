"""The candidate space: every feasible (executive, agent-day) pair, held implicitly.

Building all executive-agent-date triples is what makes large instances slow (97 million for
5,000 x 20,000). This module compiles the problem into arrays instead:

- *slots*: the agent-days that can still host (a shift in the window, capacity left);
- *classes*: agents grouped by (site, languages); a *group* is a class on one date, its slots
  contiguous in the slot arrays;
- *pairs*: (executive, group) combinations that pass region, language and availability. Every
  feasible triple is a slot of a paired group whose agent is not excluded for that executive
  (reporting line, the executive themself, an agent already used by a locked visit, an agent
  who hosted the executive in another wave of the series).

A triple's cost is ``pair_base[pair] + slot_cost[slot] (+ repeat_pair if a past pair)``, where
``pair_base`` holds travel, department spread and ``seen_channel`` (the group's site is of a
channel the executive saw in an earlier wave), so the
cheapest slot of a group bounds every triple in it from below. Column generation uses that
bound: it prices a whole group at once and expands only groups that could hold an improving
column, which is what keeps the optimum provable without enumerating the triples.

This module builds those arrays (``CompiledSpace``); ``space.Space`` adds the column queries
on top: exact costs, expansion, counting, the seed and pricing.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from shadowing.pairing.model import Conflict, Problem, ProblemError
from shadowing.pairing.rules import Rules

NO_LIMIT = np.iinfo(np.int64).max // 4


class CompiledSpace:
    """The compiled problem (slots, groups, pairs). Attributes are numpy arrays indexed by
    dense positions that follow sorted ids, so the same problem compiles to the same arrays.
    """

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self._index(problem)
        self._apply_locked(problem)
        self._build_slots(problem)
        self._build_pairs(problem)

    # ---------------------------------------------------------------- indexing and checks
    def _index(self, p: Problem) -> None:
        for name, value in (
            ("days_per_executive", p.days_per_executive),
            ("max_days_per_agent", p.max_days_per_agent),
            ("reporting_depth", p.reporting_depth),
        ):
            if not isinstance(value, int) or value < 0:
                raise ProblemError(f"{name} must be a whole number >= 0, got {value!r}")
        self.dates = tuple(sorted(set(p.dates)))
        self.date_idx = {d: i for i, d in enumerate(self.dates)}
        D = self.n_dates = len(self.dates)

        sites = sorted(p.sites, key=lambda s: s.id)
        self.site_ids = np.array([s.id for s in sites], dtype=np.int64)
        if len(set(self.site_ids.tolist())) != len(sites):
            raise ProblemError("duplicate site id")
        self.site_idx = {s.id: i for i, s in enumerate(sites)}
        regions = sorted({s.region for s in sites})
        region_code = {r: i for i, r in enumerate(regions)}
        self.site_region = np.array([region_code[s.region] for s in sites], dtype=np.int64)
        channels = sorted({s.channel for s in sites})
        self.channel_code = {ch: i for i, ch in enumerate(channels)}
        self.site_channel = np.array([self.channel_code[s.channel] for s in sites], np.int64)
        self.site_limit = np.array(
            [NO_LIMIT if s.daily_visitor_limit is None else s.daily_visitor_limit for s in sites],
            dtype=np.int64,
        )
        if (self.site_limit < 0).any():
            raise ProblemError("a site's daily_visitor_limit is negative")
        S = self.n_sites = len(sites)

        execs = sorted(p.executives, key=lambda x: x.id)
        agents = sorted(p.agents, key=lambda x: x.id)
        self.execs, self.agents = execs, agents
        self.exec_ids = np.array([x.id for x in execs], dtype=np.int64)
        self.agent_ids = np.array([a.id for a in agents], dtype=np.int64)
        if len(set(self.exec_ids.tolist())) != len(execs):
            raise ProblemError("duplicate executive id")
        if len(set(self.agent_ids.tolist())) != len(agents):
            raise ProblemError("duplicate agent id")
        self.exec_idx = {x.id: i for i, x in enumerate(execs)}
        self.agent_idx = {a.id: i for i, a in enumerate(agents)}
        E, A = self.n_execs, self.n_agents = len(execs), len(agents)
        for x in execs:
            if x.home_site not in self.site_idx:
                raise ProblemError(f"executive {x.id}: unknown home site {x.home_site}")
        for a in agents:
            if a.site not in self.site_idx:
                raise ProblemError(f"agent {a.id}: unknown site {a.site}")

        langs = sorted({lang for x in execs for lang in x.languages})
        self.lang_bit = {lang: i for i, lang in enumerate(langs)}
        W = self.n_words = max(1, (len(langs) + 63) // 64)

        def mask(languages: Iterable[str]) -> np.ndarray:
            out = np.zeros(W, dtype=np.uint64)
            for lang in languages:
                bit = self.lang_bit.get(lang)
                if bit is not None:  # a language no executive speaks cannot be shared
                    out[bit // 64] |= np.uint64(1) << np.uint64(bit % 64)
            return out

        self.exec_lang = np.array([mask(x.languages) for x in execs], dtype=np.uint64).reshape(E, W)
        self.agent_lang = np.array([mask(a.languages) for a in agents], dtype=np.uint64).reshape(
            A, W
        )
        self.exec_home = np.array([self.site_idx[x.home_site] for x in execs], dtype=np.int64)
        self.exec_region = self.site_region[self.exec_home] if E else np.zeros(0, np.int64)
        depts = sorted({x.department for x in execs}, key=lambda d: (type(d).__name__, d))
        dept_code = {d: i for i, d in enumerate(depts)}
        self.n_depts = len(depts)
        self.exec_dept = np.array([dept_code[x.department] for x in execs], dtype=np.int64)
        self.exec_avail = np.zeros((E, D), dtype=bool)
        for i, x in enumerate(execs):
            if x.available is None:
                self.exec_avail[i, :] = True
            else:
                for d in x.available:
                    j = self.date_idx.get(d)
                    if j is not None:
                        self.exec_avail[i, j] = True
        self.exec_avail_window = self.exec_avail.copy()
        # channels each executive saw in earlier waves (only channels some site here has)
        self.exec_seen = np.zeros((E, max(len(self.channel_code), 1)), dtype=bool)
        for i, x in enumerate(execs):
            for ch in x.seen_channels:
                k = self.channel_code.get(ch)
                if k is not None:
                    self.exec_seen[i, k] = True
        self.agent_site = np.array([self.site_idx[a.site] for a in agents], dtype=np.int64)
        c = p.costs
        self.agent_cost = np.array(
            [c.hosted_before * min(max(a.hosted_before, 0), c.hosted_before_cap) for a in agents],
            dtype=np.int64,
        )
        self.exec_days = np.full(E, p.days_per_executive, dtype=np.int64)
        self.agent_cap = np.full(A, p.max_days_per_agent, dtype=np.int64)
        self.sd_cap = np.repeat(self.site_limit, D).reshape(S, D).copy()

        shift_of: dict[tuple[int, int], int] = {}
        for sh in p.shifts:
            a = self.agent_idx.get(sh.agent)
            d = self.date_idx.get(sh.date)
            if a is None or d is None:
                continue  # an agent not passed in (opted out) or a date outside the window
            if (a, d) in shift_of:
                raise ProblemError(f"agent {sh.agent} has two shifts on {sh.date}")
            shift_of[(a, d)] = 1
        self.shift_set = shift_of

        excl: set[int] = set()
        depth = p.reporting_depth
        for ai, a in enumerate(agents):
            for m in a.managers[:depth]:
                ei = self.exec_idx.get(m)
                if ei is not None:
                    excl.add(ei * A + ai)
            ei = self.exec_idx.get(a.id)
            if ei is not None:  # nobody shadows themself
                excl.add(ei * A + ai)
        self.manager_excl = frozenset(excl)  # reporting line and self, before locked visits
        series = {
            self.exec_idx[e] * A + self.agent_idx[a]
            for e, a in p.series_pairs
            if e in self.exec_idx and a in self.agent_idx
        }
        self.series_excl = frozenset(series)  # paired in another wave: a hard exclusion
        excl |= series
        self._excl = excl
        past = {
            self.exec_idx[e] * A + self.agent_idx[a]
            for e, a in p.past_pairs
            if e in self.exec_idx and a in self.agent_idx
        }
        self.past_keys = np.array(sorted(past), dtype=np.int64)

    def _apply_locked(self, p: Problem) -> None:
        """Locked visits are kept whatever they break; they use capacity like any visit."""
        A = self.n_agents
        self.locked = sorted(set(p.locked))
        broken = Rules(p).plan(self.locked)
        self.conflicts = tuple(Conflict(v, broken[v]) for v in self.locked if v in broken)
        self.locked_slots: set[tuple[int, int]] = set()
        for v in self.locked:
            ei = self.exec_idx.get(v.executive)
            ai = self.agent_idx.get(v.agent)
            d = self.date_idx.get(v.date)
            if ai is not None:
                self.agent_cap[ai] = max(0, self.agent_cap[ai] - 1)
                if d is not None:
                    self.locked_slots.add((ai, d))
                    s = self.agent_site[ai]
                    if self.sd_cap[s, d] < NO_LIMIT:
                        self.sd_cap[s, d] = max(0, self.sd_cap[s, d] - 1)
            if ei is not None:
                self.exec_days[ei] = max(0, self.exec_days[ei] - 1)
                if d is not None:
                    self.exec_avail[ei, d] = False  # distinct dates
                if ai is not None:
                    self._excl.add(ei * A + ai)  # distinct agents
        self.exec_avail[self.exec_days == 0, :] = False
        self.excl_keys = np.array(sorted(self._excl), dtype=np.int64)

    # ---------------------------------------------------------------- slots and groups
    def _build_slots(self, p: Problem) -> None:
        A, D, W = self.n_agents, self.n_dates, self.n_words
        keep = [
            (ai, d)
            for (ai, d) in self.shift_set
            if self.agent_cap[ai] > 0
            and (ai, d) not in self.locked_slots
            and self.sd_cap[self.agent_site[ai], d] > 0
        ]
        if keep:
            sa = np.array([k[0] for k in keep], dtype=np.int64)
            sd = np.array([k[1] for k in keep], dtype=np.int64)
        else:
            sa = np.zeros(0, np.int64)
            sd = np.zeros(0, np.int64)
        # agent classes: (site, language mask); only agents that speak an executive language
        has_lang = (self.agent_lang != 0).any(axis=1) if A else np.zeros(0, bool)
        ok = has_lang[sa] if len(sa) else np.zeros(0, bool)
        sa, sd = sa[ok], sd[ok]
        agents_used = np.unique(sa)
        cls_keys = (
            np.column_stack(
                [
                    self.agent_site[agents_used][:, None].astype(np.uint64),
                    self.agent_lang[agents_used],
                ]
            )
            if len(agents_used)
            else np.zeros((0, W + 1), np.uint64)
        )
        uniq, inv = (
            np.unique(cls_keys, axis=0, return_inverse=True)
            if len(agents_used)
            else (np.zeros((0, W + 1), np.uint64), np.zeros(0, np.int64))
        )
        agent_class = np.full(A, -1, dtype=np.int64)
        agent_class[agents_used] = inv.reshape(-1)
        C = self.n_classes = len(uniq)
        self.class_site = uniq[:, 0].astype(np.int64)
        self.class_lang = uniq[:, 1:].copy()
        self.class_region = self.site_region[self.class_site] if C else np.zeros(0, np.int64)
        sc = agent_class[sa]
        order = np.lexsort((sa, sd, sc))
        self.slot_agent = sa[order]
        self.slot_date = sd[order]
        slot_class = sc[order]
        self.n_slots = len(self.slot_agent)
        self.slot_site = self.agent_site[self.slot_agent]
        self.slot_sd = self.slot_site * D + self.slot_date
        self.slot_cost = self.agent_cost[self.slot_agent]
        gkey = slot_class * D + self.slot_date
        if self.n_slots:
            starts = np.r_[0, np.flatnonzero(gkey[1:] != gkey[:-1]) + 1]
        else:
            starts = np.zeros(0, np.int64)
        self.group_start = starts.astype(np.int64)
        self.group_len = np.diff(np.r_[starts, self.n_slots]).astype(np.int64)
        self.n_groups = len(starts)
        self.group_class = slot_class[starts] if self.n_groups else np.zeros(0, np.int64)
        self.group_date = self.slot_date[starts] if self.n_groups else np.zeros(0, np.int64)
        self.slot_group = np.repeat(np.arange(self.n_groups), self.group_len)
        self.group_of = np.full((C, D), -1, dtype=np.int64)
        self.group_of[self.group_class, self.group_date] = np.arange(self.n_groups)
        self.slot_of = {
            (int(a), int(d)): i
            for i, (a, d) in enumerate(zip(self.slot_agent, self.slot_date, strict=True))
        }

    # ---------------------------------------------------------------- executive-group pairs
    def _build_pairs(self, p: Problem) -> None:
        E, S, D, C = self.n_execs, self.n_sites, self.n_dates, self.n_classes
        c = p.costs
        # department gathering: n(P,S,D) executives of P at home on S and available on D
        n = np.zeros((max(self.n_depts, 1), S, D), dtype=np.int64)
        if E:
            ei, di = np.nonzero(self.exec_avail_window)
            np.add.at(n, (self.exec_dept[ei], self.exec_home[ei], di), 1)
        top = np.maximum(n.reshape(n.shape[0], -1).max(axis=1), 1)
        self.cluster = np.rint(c.department_spread * (1.0 - n / top[:, None, None])).astype(
            np.int64
        )

        class_dates = self.group_of >= 0
        pe_parts, pg_parts, pb_parts = [], [], []
        block = max(1, 4_000_000 // max(C * self.n_words, 1))
        for lo in range(0, E, block):
            hi = min(E, lo + block)
            if C == 0:
                break
            lang_ok = ((self.exec_lang[lo:hi, None, :] & self.class_lang[None, :, :]) != 0).any(
                axis=2
            )
            if p.allow_cross_region:
                ok = lang_ok
            else:
                ok = lang_ok & (self.exec_region[lo:hi, None] == self.class_region[None, :])
            ei, ci = np.nonzero(ok)
            ei = ei + lo
            m = self.exec_avail[ei] & class_dates[ci]
            pi, di = np.nonzero(m)
            pe, pc = ei[pi], ci[pi]
            site = self.class_site[pc]
            travel = np.where(
                site == self.exec_home[pe],
                0,
                np.where(
                    self.site_region[site] == self.exec_region[pe],
                    c.travel_same_region,
                    c.travel_cross_region,
                ),
            )
            pe_parts.append(pe)
            pg_parts.append(self.group_of[pc, di])
            seen = self.exec_seen[pe, self.site_channel[site]] * c.seen_channel
            pb_parts.append(travel + self.cluster[self.exec_dept[pe], site, di] + seen)
        # int32 halves the memory of the largest arrays (tens of millions of pairs at 10k x 50k)
        if pe_parts:
            self.pair_exec = np.concatenate(pe_parts).astype(np.int32)
            self.pair_group = np.concatenate(pg_parts).astype(np.int32)
            self.pair_base = np.concatenate(pb_parts).astype(np.int32)
        else:
            self.pair_exec = np.zeros(0, np.int32)
            self.pair_group = np.zeros(0, np.int32)
            self.pair_base = np.zeros(0, np.int32)
        self.n_pairs = len(self.pair_exec)
        self.exec_pair_start = np.searchsorted(self.pair_exec, np.arange(E + 1))
        self._pair_key = None

    @property
    def pair_key(self) -> np.ndarray:
        """Sorted int64 keys ``executive * n_groups + group`` of the pairs (built on demand)."""
        if self._pair_key is None:
            self._pair_key = self.pair_exec.astype(np.int64) * max(
                self.n_groups, 1
            ) + self.pair_group.astype(np.int64)
        return self._pair_key
