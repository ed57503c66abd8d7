"""Why each visit was chosen and why each unpaired executive is unpaired.

Visit reason codes, in this order on a visit (``x:y`` codes carry a value after the colon):

- ``locked``: a locked or published visit, kept as it was;
- ``kept``: unchanged from the previous proposal; ``moved``: the executive's previous proposal
  could not be kept (its shift vanished, a rule now fails, or a visit more elsewhere needed it);
- ``shared_language:<code>``: one per language both speak;
- ``home_site`` / ``travel_same_region`` / ``travel_cross_region``;
- ``department_together:<n>``: n other executives of the department on that site and day;
- ``repeat_pair``: they were paired in an earlier programme (no other choice was as good);
- ``agent_hosted_before:<n>``: the agent hosted n visits in earlier programmes;
- ``new_channel:<channel>``: the executive saw other channels in earlier waves of the series,
  never this one (only said when they saw some: a first wave is new to everyone).

Unpaired reasons come from the candidate structure, in the order the rules remove candidates:
the first rule that leaves the executive with no agent-day at all is named; if candidates
remained, the optimum gave their capacity to others, and the reason says which capacity.
Their English texts are ``model.UNPAIRED`` (``Unpaired.message``).
"""

from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np

from shadowing.pairing.candidates import NO_LIMIT
from shadowing.pairing.model import PlannedVisit, Unpaired, Visit
from shadowing.pairing.space import Space


def visit_reasons(space: Space, visits: list[Visit], locked: set[Visit]) -> list[PlannedVisit]:
    p = space.problem
    execs = {x.id: x for x in p.executives}
    agents = {a.id: a for a in p.agents}
    sites = {s.id: s for s in p.sites}
    previous = set(p.previous) - locked
    had_previous = {v.executive for v in previous}
    together: Counter = Counter()
    for v in visits:
        x, a = execs.get(v.executive), agents.get(v.agent)
        if x is not None and a is not None:
            together[(x.department, a.site, v.date)] += 1
    out = []
    for v in sorted(visits):
        codes = []
        if v in locked:
            codes.append("locked")
        elif v in previous:
            codes.append("kept")
        elif v.executive in had_previous:
            codes.append("moved")
        x, a = execs.get(v.executive), agents.get(v.agent)
        if x is not None and a is not None:
            codes += [f"shared_language:{lang}" for lang in sorted(x.languages & a.languages)]
            home, site = sites.get(x.home_site), sites.get(a.site)
            if a.site == x.home_site:
                codes.append("home_site")
            elif home is not None and site is not None and home.region == site.region:
                codes.append("travel_same_region")
            else:
                codes.append("travel_cross_region")
            n = together[(x.department, a.site, v.date)] - 1
            if n > 0:
                codes.append(f"department_together:{n}")
            if (x.id, a.id) in p.past_pairs:
                codes.append("repeat_pair")
            if a.hosted_before > 0:
                codes.append(f"agent_hosted_before:{a.hosted_before}")
            if site is not None and x.seen_channels and site.channel not in x.seen_channels:
                codes.append(f"new_channel:{site.channel}")
        out.append(PlannedVisit(v.executive, v.agent, v.date, tuple(codes)))
    return out


def unpaired_reasons(space: Space, visits: list[Visit]) -> list[Unpaired]:
    """One entry per executive with fewer visits than ``days_per_executive``."""
    s, p = space, space.problem
    A, D = s.n_agents, s.n_dates
    got: dict[int, list[Visit]] = defaultdict(list)
    for v in visits:
        got[v.executive].append(v)
    short = [x for x in s.execs if len(got[x.id]) < p.days_per_executive]
    if not short:
        return []
    shift = np.zeros((A, D), dtype=bool)
    for a, d in s.shift_set:
        shift[a, d] = True
    agent_region = s.site_region[s.agent_site]
    works = shift.any(axis=1)
    taken = np.zeros((A, D), dtype=bool)
    agent_count = np.zeros(A, dtype=np.int64)
    sd_count = np.zeros((s.n_sites, D), dtype=np.int64)
    for v in visits:
        ai, d = s.agent_idx.get(v.agent), s.date_idx.get(v.date)
        if ai is not None:
            agent_count[ai] += 1
            if d is not None:
                taken[ai, d] = True
                sd_count[s.agent_site[ai], d] += 1
    mgr = defaultdict(list)
    for key in s.manager_excl:
        mgr[key // A].append(key % A)
    before = defaultdict(list)
    for key in s.series_excl:
        before[key // A].append(key % A)
    region_name = {s.site_idx[site.id]: site.region for site in p.sites}
    out = []
    for x in short:
        ei = s.exec_idx[x.id]
        mine = got[x.id]
        avail = s.exec_avail_window[ei].copy()
        used_agents = np.zeros(A, dtype=bool)
        for v in mine:
            d, ai = s.date_idx.get(v.date), s.agent_idx.get(v.agent)
            if d is not None:
                avail[d] = False
            if ai is not None:
                used_agents[ai] = True
        region = region_name[s.exec_home[ei]]
        languages = ";".join(sorted(x.languages))
        if p.allow_cross_region:
            in_region = works.copy()
            region = "any"
        else:
            in_region = works & (agent_region == s.exec_region[ei])
        speaks = in_region & ((s.agent_lang & s.exec_lang[ei]) != 0).any(axis=1)
        own = np.zeros(A, dtype=bool)
        own[mgr.get(ei, [])] = True
        hosted = np.zeros(A, dtype=bool)
        hosted[before.get(ei, [])] = True
        eligible = speaks & ~own & ~hosted & ~used_agents
        cand = eligible[:, None] & shift & avail[None, :]
        params: dict[str, str] = {}
        if not avail.any():
            cause = "no_availability_in_window"
            params["available_dates"] = str(int(s.exec_avail_window[ei].sum()))
        elif not in_region.any():
            cause, params["region"] = "no_agents_in_region", region
        elif not speaks.any():
            cause = "no_shared_language_in_region"
            params.update(region=region, languages=languages)
        elif not (speaks & ~own).any():
            cause = "only_own_reports_available"
            params.update(region=region, languages=languages)
        elif not (speaks & ~own & ~hosted).any():
            cause = "paired_in_series"
            params["agents"] = str(int((speaks & ~own & hosted).sum()))
        elif not cand.any():
            if (speaks & ~own & hosted & shift[:, avail].any(axis=1)).any() and not (
                (speaks & ~own & ~hosted & shift[:, avail].any(axis=1)).any()
            ):
                cause = "paired_in_series"
                params["agents"] = str(int((speaks & ~own & hosted).sum()))
            else:
                cause = "no_date_in_common"
        else:
            ai, d = np.nonzero(cand)
            by_agent = taken[ai, d] | (agent_count[ai] >= p.max_days_per_agent)
            site = s.agent_site[ai]
            limit = s.site_limit[site]
            by_site = ~by_agent & (limit < NO_LIMIT) & (sd_count[site, d] >= limit)
            params["candidates"] = str(len(ai))
            if by_site.any():
                cause = "sites_full"
                params["site_days"] = str(len(set(zip(site[by_site], d[by_site], strict=True))))
            else:
                cause = "all_eligible_agents_full"
        if mine:
            params.update(requested=str(p.days_per_executive), got=str(len(mine)), cause=cause)
            cause = "fewer_days_than_requested"
        out.append(Unpaired(x.id, cause, tuple(sorted(params.items()))))
    return out
