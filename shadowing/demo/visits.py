"""The demo's visits as the people in them report them: the barriers a visit met, the
executives' debriefs (on time, late, or left as drafts) and the agents' own barrier reports,
each scheduled on `shadowing.demo.lived.Life`'s event queue and filed through the debriefs
app's services.
"""

from __future__ import annotations

import datetime as dt
import uuid

from shadowing.demo import barriers as pool
from shadowing.demo.generate import CAST

# The finished wave's debriefs name more barriers than the current one's first days: about
# 850 reports of some 200 distinct barriers, the size of a real wave of 350 visits.
BARRIERS_PER_DEBRIEF = {
    "first": [1, 2, 2, 3, 3, 3],
    "past": [1, 2, 2, 3, 3, 3],
    "current": [1, 1, 2, 2, 2, 3],
}
AGENTS_WHO_FILE = {"first": 0.25, "past": 0.25, "current": 0.2}


class Visits:
    """The visits and debriefs of `shadowing.demo.lived.Life`, whose state (`rng`, `specs`,
    `programmes`, `group_of_key`) and event queue they use."""

    # Visits and debriefs --------------------------------------------------------------------

    def visits(self, key: str):
        from shadowing.programmes.pairing_models import Pairing, PairingStatus

        return list(
            Pairing.objects.filter(programme=self.programmes[key], status=PairingStatus.PUBLISHED)
            .select_related("executive", "agent", "site")
            .order_by("date", "pk")
        )

    def choose_barriers(self, site, count: int) -> list[tuple]:
        channel = pool.CHANNEL_CODES[site.channel]
        candidates = [i for i, s in self.specs.items() if channel in s.channels.split()]
        weights = [self.specs[i].weight for i in candidates]
        chosen = []
        for _ in range(count * 3):
            i = self.rng.choices(candidates, weights=weights)[0]
            if i not in chosen:
                chosen.append(i)
            if len(chosen) == count:
                break
        return [(i, site.code if self.specs[i].regional else "") for i in chosen]

    def barrier_body(self, group: tuple, site) -> dict:
        spec = self.specs[group[0]]
        title = f"{spec.title} ({site.name})" if group[1] else spec.title
        observation = self.rng.choice(pool.OBSERVATIONS)
        key = str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
        self.group_of_key[key] = group
        return {
            "key": key,
            "title": title[:200],
            "description": f"{spec.description} {observation}".strip(),
            "category": spec.category,
            "department": spec.department,
            "severity": self.rng.choices([1, 2, 3, 4], weights=[2, 5, 4, 1])[0],
            "frequency": self.rng.choices(
                ["rare", "weekly", "daily", "most_calls"], weights=[1, 3, 4, 2]
            )[0],
            "suggested_fix": spec.fix if self.rng.random() < 0.7 else "",
        }

    def debrief_body(self, pairing, barriers_per_debrief: list[int]) -> dict:
        count = self.rng.choice(barriers_per_debrief)
        barriers = [
            self.barrier_body(group, pairing.site)
            for group in self.choose_barriers(pairing.site, count)
        ]
        return {
            "overall": self.rng.choice(pool.OVERALL).format(name=pairing.agent.full_name),
            "rating": self.rng.choices([1, 2, 3, 4, 5], weights=[1, 3, 4, 2, 1])[0],
            "commitment": self.rng.choice(pool.COMMITMENTS),
            "barriers": barriers,
        }

    def submit(self, pairing, body: dict) -> None:
        from debriefs.services.drafts import debrief_get_or_create
        from debriefs.services.submission import debrief_submit

        debrief, _created = debrief_get_or_create(pairing=pairing, by=pairing.executive)
        debrief_submit(debrief=debrief, by=pairing.executive, body=body)

    def draft(self, pairing, body: dict) -> None:
        from debriefs.services.drafts import debrief_get_or_create, debrief_save_draft

        debrief, _created = debrief_get_or_create(pairing=pairing, by=pairing.executive)
        debrief_save_draft(
            debrief=debrief, by=pairing.executive, body={"overall": body["overall"][:80]}
        )

    def agent_files(self, pairing, barrier: dict, anonymous: bool) -> None:
        from debriefs.services.reports import barrier_report_file_by_agent

        barrier_report_file_by_agent(
            pairing=pairing,
            agent=pairing.agent,
            barrier=barrier,
            anonymous=anonymous,
            key=barrier["key"],
        )

    def plan_attendance(self, pairing, *, came: bool, until: dt.datetime, key: str) -> None:
        """Most agents say that evening whether the executive came; some forget (the
        coordinator's completion page shows them), and the demo agent's own visit is left for
        her to record."""
        if pairing.agent.email == CAST.agent and key == "current":
            return
        if self.rng.random() < 0.08:
            return
        if came:
            attendance = "cut_short" if self.rng.random() < 0.04 else "attended"
        else:
            attendance = "no_show"
        at = pairing.ends_at + dt.timedelta(minutes=self.rng.randint(10, 240))
        if at <= until:
            self.schedule(at, self.attend, pairing, attendance)

    def attend(self, pairing, attendance: str) -> None:
        from shadowing.programmes.attendance import pairing_attendance_record

        pairing.refresh_from_db()
        pairing_attendance_record(pairing=pairing, by=pairing.agent, attendance=attendance)

    def plan_debriefs(self, key: str, *, until: dt.datetime, never: float, late: float) -> None:
        priya = CAST.executive
        for pairing in self.visits(key):
            end = pairing.ends_at
            if end > until:
                continue
            body = self.debrief_body(pairing, BARRIERS_PER_DEBRIEF[key])
            roll = self.rng.random()
            if pairing.executive.email == priya and key == "current":
                continue  # the demo executive files this one herself
            if pairing.executive.email == priya:
                roll = 1.0
            self.plan_attendance(pairing, came=roll >= never / 2, until=until, key=key)
            if roll < never / 2:
                pass  # did not come: no debrief owed
            elif roll < never:
                if self.rng.random() < 0.5:
                    self.schedule(end + dt.timedelta(hours=2), self.draft, pairing, body)
            else:
                if roll < never + late:
                    delay = dt.timedelta(hours=self.rng.randint(3 * 24, 12 * 24))
                else:
                    delay = dt.timedelta(minutes=self.rng.randint(45, 30 * 60))
                if end + delay <= until:
                    self.schedule(end + delay, self.submit, pairing, body)
            if self.rng.random() < AGENTS_WHO_FILE[key]:
                for group in self.choose_barriers(pairing.site, self.rng.choice([1, 1, 2])):
                    barrier = self.barrier_body(group, pairing.site)
                    barrier["suggested_fix"] = ""
                    delay = dt.timedelta(minutes=self.rng.randint(20, 48 * 60))
                    if end + delay <= until:
                        anonymous = self.rng.random() < 0.4
                        self.schedule(end + delay, self.agent_files, pairing, barrier, anonymous)
