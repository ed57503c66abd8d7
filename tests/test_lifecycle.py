"""Proof by clock travel: one small programme lived day by day, from pairing to a verified fix.

The clock is pinned (time-machine, no ticking) from the first line of the story, so the test
passes on any real date. Every day, in Vancouver time, the scheduler's sweeps run at 06:00,
12:00 and 20:00 (already the next day in UTC), exactly the functions its schedules call
(`invitations_sweep`, `debrief_reminders_sweep`, the `backlog_sweep` command), and at 10:00
people act (publish, submit a debrief, claim, resolve, confirm). Each sweep runs again a
minute later and must send nothing more; the day's mail is compared with the plan
below: who got what, nothing more, nothing twice.

The story, in days after its start (a Wednesday, so weekends fall on days 3-4, 10-11, 17-18,
24-25):

    0  Wed  the programme is created, shifts imported, paired, published: four invitations
    2  Fri  eve's reminder (three days before her Monday visit)
    3  Sat  ed's reminder (his visit is on Tuesday, in Toronto)
    4  Sun  adam's reminder (the day before he hosts eve)
    5  Mon  eve beside adam, 07:00-11:00 Vancouver: ada's reminder; eve's debrief request and
            adam's barrier link once the visit is over
    6  Tue  ed beside ada, 07:00-11:00 Toronto: ed's debrief request, ada's barrier link
    7  Wed  eve's debrief reminder (two days after her visit)
    8  Thu  ed's debrief reminder; eve submits her debrief with two barriers: one for Customer
            Care (owner hank, its head), one for Billing (owner bill)
    9  Fri  bill claims the Billing item, due on day 12
   10  Sat  nothing: eve's debrief would be five days overdue, but it is in
   11  Sun  ed's debrief is five days overdue: the coordinator is told
   15  Thu  hank's item, unclaimed for 5 working days (not 7 calendar days): reminder to hank
   19  Mon  bill's commitment 5 working days past due: reminder to bill
   22  Thu  hank's item unclaimed for 10 working days: escalation to the coordinator and sponsor
   23  Fri  hank claims it
   26  Mon  bill's commitment 10 working days late: escalation; hank resolves his item and eve,
            who reported it, is told
   27  Tue  bill resolves his, eve is told; eve confirms hank's fix
   28  Wed  eve confirms bill's fix

It runs twice: from Wednesday 2 June 2027, and from Wednesday 3 November 2027, when Vancouver
and Toronto leave summer time (Sunday 7 November) between the invitations and the visits.
"""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import translation
from django.utils.formats import date_format

from barriers.kinds import EventKind
from barriers.models import BacklogItem, BacklogSettings, ItemEvent, Status
from barriers.selectors import vector_index
from barriers.services.claims import barrier_claim
from barriers.services.resolution import barrier_resolve, barrier_verify
from barriers.tasks import ESCALATE_AFTER, REMIND_AFTER
from barriers.workdays import working_days_between
from debriefs.models import Debrief, DebriefStatus
from debriefs.services.drafts import debrief_create
from debriefs.services.submission import debrief_submit
from debriefs.tasks import debrief_reminders_sweep
from shadowing.invitations.models import InvitationLog, MessageKind
from shadowing.invitations.tasks import invitations_sweep
from shadowing.programmes.models import Programme
from shadowing.programmes.pairing_models import Pairing, PairingStatus
from tests.factories import DepartmentFactory, PersonFactory, SiteFactory
from tests.invitations.conftest import parse_message

VANCOUVER = ZoneInfo("America/Vancouver")
TORONTO = ZoneInfo("America/Toronto")
ACT_AT = dt.time(10, 0)
# A day, in Vancouver: the sweeps before work, people act, the sweeps at noon and in the
# evening (20:00 in Vancouver is already tomorrow in UTC: a date read in UTC would show).
DAY = (dt.time(6, 0), ACT_AT, dt.time(12, 0), dt.time(20, 0))
LAST_DAY = 28
SLUG = "life"

# Subject -> kind of message (the English subjects; everyone here reads English).
KINDS = (
    ("Invitation: ", "invitation"),
    ("Reminder: your debrief", "debrief_reminder"),
    ("Reminder: ", "visit_reminder"),
    ("Your debrief: ", "debrief_request"),
    ("What gets in the way of serving customers?", "agent_link"),
    ("Debriefs overdue", "debrief_overdue"),
    ("Barriers waiting for a claim", "claim_reminder"),
    ("Escalation: barriers unclaimed", "claim_escalation"),
    ("Barrier commitments past due", "due_reminder"),
    ("Escalation: commitments", "due_escalation"),
    ("What became of the barrier you reported", "resolved"),
)

# Day of the story -> the mail that goes out that day: (recipient, kind). Any other day: none.
PLAN = {
    0: {
        ("eve", "invitation"),
        ("adam", "invitation"),
        ("ed", "invitation"),
        ("ada", "invitation"),
    },
    2: {("eve", "visit_reminder")},
    3: {("ed", "visit_reminder")},
    4: {("adam", "visit_reminder")},
    5: {("ada", "visit_reminder"), ("eve", "debrief_request"), ("adam", "agent_link")},
    6: {("ed", "debrief_request"), ("ada", "agent_link")},
    7: {("eve", "debrief_reminder")},
    8: {("ed", "debrief_reminder")},
    11: {("cora", "debrief_overdue")},
    15: {("hank", "claim_reminder")},
    19: {("bill", "due_reminder")},
    22: {("cora", "claim_escalation"), ("sam", "claim_escalation")},
    26: {("cora", "due_escalation"), ("sam", "due_escalation"), ("eve", "resolved")},
    27: {("eve", "resolved")},
}


def kind_of(subject: str) -> str:
    for prefix, kind in KINDS:
        if subject.startswith(prefix):
            return kind
    return f"unexpected: {subject}"


def local(day: dt.date, time: dt.time, zone=VANCOUVER) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=zone)


def command(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture(
    params=[
        pytest.param(dt.date(2027, 6, 2), id="summer"),
        pytest.param(dt.date(2027, 11, 3), id="across-dst-fall-back"),
    ]
)
def start(request):
    assert request.param.weekday() == 2  # a Wednesday: the plan's weekdays depend on it
    return request.param


@pytest.fixture
def clock(start, db):
    """The clock, pinned at 09:00 Vancouver on the first day before anyone exists."""
    with time_machine.travel(local(start, dt.time(9, 0)), tick=False) as traveller:
        yield traveller


class Mailbag:
    """The mail sent since the last look, as {(name, kind)}, with the parsed messages."""

    def __init__(self, outbox):
        self.outbox, self.seen = outbox, 0

    def new(self):
        fresh = [parse_message(m) for m in self.outbox[self.seen :]]
        self.seen = len(self.outbox)
        return fresh

    @staticmethod
    def names(messages) -> list[tuple[str, str]]:
        return sorted(
            (m.to.split("<")[-1].rstrip(">").split("@")[0], kind_of(m.subject)) for m in messages
        )


@pytest.mark.django_db
def test_a_programme_lived_day_by_day(
    clock, start, mailoutbox, django_capture_on_commit_callbacks, tmp_path
):
    vector_index.clear()
    day = lambda n: start + dt.timedelta(days=n)  # noqa: E731

    # The roster, built under the pinned clock ---------------------------------------------------
    care = DepartmentFactory(code="CARE", name="Customer Care")
    finance = DepartmentFactory(code="FIN", name="Finance")
    billing = DepartmentFactory(code="BILL", name="Billing")
    van = SiteFactory(code="VAN", name="Vancouver", region="West", timezone="America/Vancouver")
    tor = SiteFactory(code="TOR", name="Toronto", region="East", timezone="America/Toronto")

    def person(name, department, site=van, **roles):
        return PersonFactory(
            email=f"{name}@example.com",
            full_name=name.title(),
            department=department,
            site=site,
            **roles,
        )

    cora = person("cora", care, is_coordinator=True)
    hank = person("hank", care, is_department_head=True, is_executive=True)
    bill = person("bill", billing, is_department_head=True)
    care.head, billing.head = hank, bill
    care.save(update_fields=["head"])
    billing.save(update_fields=["head"])
    sam = person("sam", finance)  # the programme sponsor
    settings_row = BacklogSettings.load()
    settings_row.sponsor = sam
    settings_row.save()
    eve = person("eve", finance, is_executive=True, languages=["en", "fr"])
    ed = person("ed", finance, is_executive=True)
    adam = person("adam", care, manager=hank, is_agent=True)
    ada = person("ada", care, site=tor, manager=hank, is_agent=True)
    people = {p.pk: p.email.split("@")[0] for p in (cora, hank, bill, sam, eve, ed, adam, ada)}

    mail = Mailbag(mailoutbox)
    item_a = item_b = None

    def sweep():
        """What the schedules run: every minute, every 15 minutes, every hour."""
        with django_capture_on_commit_callbacks(execute=True):
            invitations_sweep()
            debrief_reminders_sweep()
            command("backlog_sweep")

    def committed():
        """A request's transaction: what it hands to the workers runs once it commits."""
        return django_capture_on_commit_callbacks(execute=True)

    def act(n):
        """What people do at 10:00 on day n, each action in its own committed transaction."""
        nonlocal item_a, item_b
        if n == 0:
            command(
                "create_programme",
                SLUG,
                "--name",
                "Life",
                "--start",
                day(5).isoformat(),
                "--end",
                day(9).isoformat(),
                "--allow-cross-region",
            )
            (tmp_path / "shifts.csv").write_text(
                "agent_email,date,start,end\n"
                f"adam@example.com,{day(5)},07:00,11:00\n"
                f"ada@example.com,{day(6)},07:00,11:00\n"
            )
            (tmp_path / "availability.csv").write_text(
                f"executive_email,date\neve@example.com,{day(5)}\ned@example.com,{day(6)}\n"
            )
            command("import_availability", SLUG, str(tmp_path))
            out = command("pair", SLUG)
            # hank may not shadow his own agents, and they are the only ones.
            assert out.rstrip().splitlines()[-1] == "paired 2 of 3 executives"
            visits = set(
                Pairing.objects.values_list("executive__email", "agent__email", "date", "status")
            )
            assert visits == {
                ("eve@example.com", "adam@example.com", day(5), PairingStatus.PROPOSED),
                ("ed@example.com", "ada@example.com", day(6), PairingStatus.PROPOSED),
            }
            with committed():
                command("publish_programme", SLUG)
            assert set(Pairing.objects.values_list("status", flat=True)) == {"published"}
        elif n == 8:
            # eve files her debrief from her phone, two barriers for two departments.
            pairing = Pairing.objects.get(executive=eve)
            draft = debrief_create(pairing=pairing, by=eve)
            body = {
                "overall": "Long holds while the agent waited for a supervisor override.",
                "rating": 2,
                "commitment": "Give agents the override for refunds under $50.",
                "barriers": [
                    {
                        "title": "Refund overrides need a supervisor",
                        "description": "Every refund waits for a supervisor to key a code.",
                        "category": "policy",
                        "department": "CARE",
                        "severity": 3,
                        "frequency": "daily",
                        "suggested_fix": "Let agents refund up to $50.",
                    },
                    {
                        "title": "Bills show a code instead of the plan name",
                        "description": "Customers call to ask what PLN-4471 means.",
                        "category": "product",
                        "department": "BILL",
                        "severity": 2,
                        "frequency": "most_calls",
                        "suggested_fix": "Print the plan's name.",
                    },
                ],
            }
            with committed():
                debrief, submitted = debrief_submit(debrief=draft, by=eve, body=body)
            assert submitted
            assert debrief.status == DebriefStatus.SUBMITTED
            item_a = BacklogItem.objects.get(department=care)
            item_b = BacklogItem.objects.get(department=billing)
            # Every item has an owner from its first moment: its department's head.
            assert (item_a.owner, item_a.status) == (hank, Status.NEW)
            assert (item_b.owner, item_b.status) == (bill, Status.NEW)
            assert item_a.owned_since == local(day(8), ACT_AT)
        elif n == 9:
            item_b = barrier_claim(
                barrier=item_b, by=bill, due=day(12), first_step="Ask IT for the plan names."
            )
            assert (item_b.status, item_b.owner) == (Status.CLAIMED, bill)
        elif n == 23:
            item_a.refresh_from_db()
            item_a = barrier_claim(
                barrier=item_a, by=hank, due=day(40), first_step="Draft the refund policy."
            )
            assert item_a.status == Status.CLAIMED
        elif n == 26:
            with committed():
                item_a = barrier_resolve(
                    barrier=item_a, by=hank, resolution="Agents refund up to $50 on their own."
                )
        elif n == 27:
            item_b.refresh_from_db()
            with committed():
                item_b = barrier_resolve(
                    barrier=item_b, by=bill, resolution="Bills print the plan's name."
                )
            item_a.refresh_from_db()
            assert item_a.status == Status.RESOLVED
            item_a = barrier_verify(barrier=item_a, by=eve)
            assert item_a.status == Status.VERIFIED
        elif n == 28:
            item_b.refresh_from_db()
            item_b = barrier_verify(barrier=item_b, by=eve)
            assert item_b.status == Status.VERIFIED

    for n in range(LAST_DAY + 1):
        today: list = []  # every message of day n, parsed
        for moment in DAY:
            clock.move_to(local(day(n), moment))
            if moment == ACT_AT:
                act(n)
                acted = mail.new()
                today += acted
                continue
            sweep()
            today += mail.new()
            # The schedule fires again the next minute: nothing more goes out.
            clock.move_to(local(day(n), moment) + dt.timedelta(minutes=1))
            sweep()
            assert mail.new() == [], f"day {n} at {moment}: a repeated sweep sent mail again"
        got = Mailbag.names(today)
        assert got == sorted(PLAN.get(n, set())), f"day {n} ({day(n):%a %Y-%m-%d})"

        if n == 0:
            check_invitations(acted, day)
        if n == 8:
            assert acted == []  # submitting itself mails nobody
        if n == 15:
            assert working_days_between(day(8), day(15)) == REMIND_AFTER
            (reminder,) = today
            assert "Refund overrides need a supervisor (CARE, owner: Hank)" in reminder.text
            assert "Bills show a code" not in reminder.text  # claimed: not waiting
        if n == 19:
            (reminder,) = today
            with translation.override("en"):
                due = date_format(day(12), "SHORT_DATE_FORMAT")
            line = f"Bills show a code instead of the plan name (BILL, owner: Bill, due {due})"
            assert line in reminder.text
        if n == 22:
            assert working_days_between(day(8), day(22)) == ESCALATE_AFTER
            escalated = ItemEvent.objects.filter(kind=EventKind.ESCALATED)
            assert [e.item_id for e in escalated] == [item_a.pk]
            assert set(escalated.get().after["to"]) == {"cora@example.com", "sam@example.com"}
            for message in today:
                assert "Refund overrides need a supervisor" in message.text
                assert "Bills show a code" not in message.text
        if n == 26:
            (told,) = [m for m in today if kind_of(m.subject) == "resolved"]
            assert '"Refund overrides need a supervisor", is resolved' in told.text
            assert "Agents refund up to $50 on their own." in told.text
            assert f"/{item_a.pk}/" in told.text

    # The end of the story, in the database.
    assert Programme.objects.get(slug=SLUG).status in ("published", "running")
    assert Debrief.objects.get(pairing__executive=eve).status == DebriefStatus.SUBMITTED
    assert not Debrief.objects.filter(pairing__executive=ed).exists()
    item_a.refresh_from_db()
    item_b.refresh_from_db()
    assert (item_a.status, item_a.owner) == (Status.VERIFIED, hank)
    assert (item_b.status, item_b.owner) == (Status.VERIFIED, bill)
    assert ItemEvent.objects.filter(kind=EventKind.ESCALATED).count() == 2
    # One log row per person and kind of message: nothing was queued twice.
    rows = list(InvitationLog.objects.values_list("pairing__executive__email", "person", "kind"))
    assert len(rows) == len(set(rows)) == 4 + 4 + 2
    assert sorted((people[p], k) for _e, p, k in rows if k == MessageKind.DEBRIEF) == [
        ("ed", MessageKind.DEBRIEF),
        ("eve", MessageKind.DEBRIEF),
    ]


def check_invitations(messages, day):
    """Each person's one REQUEST carries the visit at the right instant, in UTC, whatever the
    summer time on the day it was sent, and the site's local time in the text."""
    by_name = {m.to.split("<")[-1].split("@")[0]: m for m in messages}
    expected = {
        "eve": local(day(5), dt.time(7, 0)),
        "adam": local(day(5), dt.time(7, 0)),
        "ed": local(day(6), dt.time(7, 0), TORONTO),
        "ada": local(day(6), dt.time(7, 0), TORONTO),
    }
    assert set(by_name) == set(expected)
    uids = {}
    for name, starts in expected.items():
        message = by_name[name]
        assert message.method == "REQUEST"
        assert message.calendar_part.get_param("method") == "REQUEST"
        event = message.calendar.vevent
        assert event.dtstart.value == starts  # compared as instants
        assert event.dtend.value - event.dtstart.value == dt.timedelta(hours=4)
        assert f"07:00\u201311:00 (local time at the site: {starts.tzinfo.key}" in message.text
        abbreviation = starts.tzname()  # e.g. PDT in June, PST after 7 November
        assert abbreviation in message.text
        uids.setdefault(starts, set()).add(message.uid)
    assert all(len(u) == 1 for u in uids.values())  # executive and agent share the event
