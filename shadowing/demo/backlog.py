"""The backlog's life in the demo: the coordinator's triage (duplicates merged, a few
missed, one merge undone), then each barrier's planned course (claimed, transferred, started,
resolved, verified, reopened, refused or sent to arbitration), played through the barriers
app's services on `shadowing.demo.lived.Life`'s event queue.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.utils import timezone

from shadowing.demo import barriers as pool
from shadowing.demo.timeline import at, demo_today

# Triage merges most duplicates; a few are worded too differently and stay items of their own.
MISSED_DUPLICATES = 0.1

# Departments whose trend across the waves differs, so that the loop's measures show it: one
# claims and fixes more each wave, one less; and one owns items but never claims any (the
# scoreboard's "departments that have claimed nothing"). Every other department claims some.
IMPROVING, WORSENING, NEVER_CLAIMS = "IT", "BILL", "LEGAL"
WAVES = ("first", "past", "current")
FINISHED_PLANS = (
    "new", "claimed", "claimed_late", "in_progress", "resolved", "verified", "reopened",
    "wont_fix", "transferred", "transferred_open",
)  # fmt: skip
# Weights of FINISHED_PLANS by wave (first, past) for the two departments with a trend.
TREND_WEIGHTS = {
    IMPROVING: ([60, 2, 10, 4, 2, 1, 1, 4, 2, 2], [4, 16, 2, 16, 24, 22, 2, 2, 4, 1]),
    WORSENING: ([4, 14, 2, 12, 26, 22, 2, 2, 4, 1], [50, 2, 14, 4, 2, 1, 4, 8, 2, 2]),
}
# In the current wave (still young): new, claimed or transferred.
CURRENT_TREND = {IMPROVING: [2, 8, 1], WORSENING: [12, 1, 1]}


class Backlog:
    """The backlog of `shadowing.demo.lived.Life`, whose state (`rng`, `specs`, `staff`,
    `departments`, `coordinator`, `group_of_key`, `canonical`, `plans`, `missed`,
    `wave_of_group`) and event queue it uses."""

    # The backlog ----------------------------------------------------------------------------

    def item_of_group(self, group):
        from barriers.models import BacklogItem

        pk = self.canonical.get(group)
        return BacklogItem.objects.filter(pk=pk).select_related("department__head").first()

    def triage(self, wave: str) -> None:
        """The coordinator's triage: new items of a barrier already in the backlog are merged
        into its item; a barrier seen for the first time gets a plan for its life."""
        from barriers.models import OPEN_STATUSES, BacklogItem, ItemReport, Status
        from barriers.services.merges import barrier_merge

        links = (
            ItemReport.objects.filter(item__status__in=[*OPEN_STATUSES, Status.RESOLVED])
            .exclude(item__status=Status.MERGED)
            .values_list("item_id", "report__key", "item__created_at")
            .order_by("item__created_at", "item_id")
        )
        by_group: dict[tuple, list[int]] = defaultdict(list)
        for item_id, key, _created in links:
            group = self.group_of_key.get(str(key))
            if group is not None and item_id not in by_group[group]:
                by_group[group].append(item_id)
        owner_of = {pk: g for g, pk in self.canonical.items()}
        for group, item_ids in by_group.items():
            item_ids = [pk for pk in item_ids if owner_of.get(pk, group) == group]
            into_pk = self.canonical.get(group)
            into = BacklogItem.objects.filter(pk=into_pk).first() if into_pk else None
            if into is None or into.status not in OPEN_STATUSES:
                if into is not None and into.pk in item_ids:
                    item_ids = [pk for pk in item_ids if pk != into.pk]
                if not item_ids:
                    continue
                into = BacklogItem.objects.get(pk=item_ids[0])
                self.canonical[group] = into.pk
                self.new_group(group, into, wave)
            for pk in item_ids:
                if pk == into.pk or pk in self.missed:
                    continue
                if self.rng.random() < MISSED_DUPLICATES:
                    self.missed.add(pk)  # worded too differently: it stays an item of its own
                    continue
                source = BacklogItem.objects.get(pk=pk)
                into = barrier_merge(source=source, into=into, by=self.coordinator)

    def new_group(self, group, item, wave: str) -> None:
        department = item.department.code
        if department == NEVER_CLAIMS:
            plan = "new"
        elif wave in ("first", "past"):
            weights = TREND_WEIGHTS.get(department, (None, None))[WAVES.index(wave)]
            plan = self.rng.choices(
                FINISHED_PLANS, weights=weights or [12, 13, 5, 14, 15, 13, 4, 5, 8, 3]
            )[0]
        else:
            weights = CURRENT_TREND.get(department, [7, 2, 1])
            plan = self.rng.choices(["new", "claimed", "transferred"], weights=weights)[0]
        self.plans[group] = plan
        self.wave_of_group[group] = wave
        start = timezone.now()
        day = dt.timedelta(days=1)
        if plan == "new":
            return
        if plan in ("transferred", "transferred_open"):
            claim_at = start + day * self.rng.randint(1, 3)
            self.schedule(claim_at, self.transfer, group)
            if plan == "transferred":
                self.schedule(claim_at + day * self.rng.randint(1, 5), self.claim, group)
            return
        late = plan == "claimed_late"
        claim_at = start + day * (self.rng.randint(8, 16) if late else self.rng.randint(1, 4))
        claim_at = claim_at.replace(hour=14, minute=self.rng.randint(0, 59))
        self.schedule(claim_at, self.claim, group)
        if plan in ("in_progress", "resolved", "verified", "reopened", "wont_fix"):
            started = claim_at + day * self.rng.randint(1, 6)
            self.schedule(started, self.start, group)
            if plan == "wont_fix":
                self.schedule(started + day * self.rng.randint(3, 15), self.wont_fix, group)
            elif plan != "in_progress":
                resolved = started + day * self.rng.randint(7, 30)
                self.schedule(resolved, self.resolve, group)
                if plan == "verified":
                    self.schedule(resolved + day * self.rng.randint(1, 8), self.verify, group)
                if plan == "reopened":
                    self.schedule(resolved + day * self.rng.randint(3, 10), self.reopen, group)

    def claim(self, group) -> None:
        from barriers.calendars import department_calendar
        from barriers.services.claims import barrier_claim

        item = self.item_of_group(group)
        if item.department.code == NEVER_CLAIMS:
            return  # transferred there: it waits, as the department's others do
        head = item.department.head
        staff = self.staff.get(item.department_id) or [head]
        owner = self.rng.choice(staff) if self.rng.random() < 0.7 else head
        spec = self.specs[group[0]]
        due = demo_today(timezone.now()) + dt.timedelta(days=self.rng.randint(14, 60))
        barrier_claim(
            barrier=item,
            by=head,
            owner=owner,
            due=department_calendar(
                item.department, due, due + dt.timedelta(days=30)
            ).next_working_day(due),
            first_step=self.rng.choice(
                pool.FIRST_STEPS.get(spec.category, pool.FIRST_STEPS["other"])
            ),
        )

    def start(self, group) -> None:
        from barriers.services.claims import barrier_start

        item = self.item_of_group(group)
        barrier_start(barrier=item, by=item.owner)

    def resolve(self, group) -> None:
        from barriers.services.resolution import barrier_resolve

        item = self.item_of_group(group)
        text = self.rng.choice(pool.RESOLUTIONS).format(fix=self.specs[group[0]].fix)
        barrier_resolve(barrier=item, by=item.owner, resolution=text)

    def wont_fix(self, group) -> None:
        from barriers.services.resolution import barrier_wont_fix

        item = self.item_of_group(group)
        barrier_wont_fix(barrier=item, by=item.owner, reason=self.rng.choice(pool.WONT_FIX))

    def reporter(self, item):
        from barriers.models import ItemReport
        from debriefs.models import Source

        link = (
            ItemReport.objects.filter(item=item, report__source=Source.EXECUTIVE)
            .select_related("report__reporter")
            .order_by("report_id")
            .first()
        )
        return link.report.reporter if link else None

    def verify(self, group) -> None:
        from barriers.services.resolution import barrier_verify

        item = self.item_of_group(group)
        reporter = self.reporter(item)
        if reporter is not None:  # only agents reported it: they are told, an executive confirms
            barrier_verify(barrier=item, by=reporter)

    def reopen(self, group) -> None:
        from barriers.services.resolution import barrier_reopen

        item = self.item_of_group(group)
        reporter = self.reporter(item)
        if reporter is not None:
            reason = self.rng.choice(pool.REOPEN_REASONS)
            barrier_reopen(barrier=item, by=reporter, reason=reason)

    def transfer(self, group, to: str | None = None) -> None:
        from barriers.services.transfers import barrier_transfer

        item = self.item_of_group(group)
        codes = sorted(c for c in self.departments if c not in (item.department.code, NEVER_CLAIMS))
        to = to or self.rng.choice(codes)
        barrier_transfer(
            barrier=item,
            by=item.department.head,
            department=self.departments[to],
            reason=pool.TRANSFER_REASONS[to],
        )

    def specials(self) -> None:
        """One item bounced between departments until it waits for the coordinator's
        arbitration; one merge made by mistake, then undone."""
        from barriers.models import Status
        from barriers.services.merges import barrier_merge

        new = sorted(
            g for g, p in self.plans.items() if p == "new" and self.wave_of_group[g] == "past"
        )
        if len(new) < 3:
            return
        bounced, wrong, right = new[0], new[1], new[2]
        self.plans[bounced] = "arbitration"
        for to in ("IT", "PROD", "BILL"):
            item = self.item_of_group(bounced)
            if item.department.code == to:
                continue
            self.transfer(bounced, to)
        source, into = self.item_of_group(wrong), self.item_of_group(right)
        if source and into and into.status != Status.MERGED:
            barrier_merge(source=source, into=into, by=self.coordinator)
            self.plans[wrong] = "unmerged"
            self.schedule(timezone.now() + dt.timedelta(days=2), self.unmerge, source.pk)

    def claim_one_each(self) -> None:
        """A department that owns items claims at least one, except NEVER_CLAIMS: so that
        exactly one department has claimed nothing, whatever the draw."""
        from barriers.models import BacklogItem, Status

        claimed = set(
            BacklogItem.objects.exclude(first_claimed_at=None).values_list(
                "department__code", flat=True
            )
        )
        for code in sorted(self.departments):
            if code == NEVER_CLAIMS or code in claimed:
                continue
            for group, _pk in sorted(self.canonical.items(), key=lambda kv: kv[1]):
                item = self.item_of_group(group)
                if (
                    item
                    and item.department.code == code
                    and item.status == Status.NEW
                    and not item.needs_arbitration
                ):
                    self.claim(group)
                    break

    def unmerge(self, item_pk: int) -> None:
        from barriers.models import BacklogItem
        from barriers.services.merges import barrier_unmerge

        barrier_unmerge(source=BacklogItem.objects.get(pk=item_pk), by=self.coordinator)

    def schedule_triage(self, first: dt.date, last: dt.date, wave: str) -> None:
        day = first
        while day <= last:
            if day.weekday() in (0, 2, 4):
                self.schedule(at(day, 11), self.triage, wave)
            day += dt.timedelta(days=1)
