"""What each PDF says: its text extracted and compared with the data, its page count, its
running header and repeated table headers, and hostile text printed as text, never fetched."""

import datetime as dt
import re
import urllib.request
import uuid

import pytest
from django.utils import timezone

from debriefs.models import BarrierReport
from reports import documents, services
from reports.models import ReportKind
from shadowing import clock
from shadowing.organisation.models import Department
from tests.debriefs.conftest import barrier, local_today, make_visit
from tests.factories import DepartmentFactory, PersonFactory
from tests.reports.conftest import flat, make_items, pdf_pages, pdf_text, submit_debrief

HOSTILE = [
    '<script>alert("x")</script>',
    '<img src="file:///etc/passwd" alt="">',
    '<link rel="stylesheet" href="https://attacker.example/x.css">',
    "url(file:///etc/passwd) url(https://attacker.example/)",
    '<style>@import "https://attacker.example/";</style>',
    "{{ secret }} {% debug %}",
]


def squash(text: str) -> str:
    """Text without white space: a PDF may break a long word (a URL) across lines."""
    return "".join(text.split())


def render(kind, obj, *, language="en", paper="letter"):
    document = documents.DOCUMENTS[kind]
    return services._render(
        document, obj, language=language, paper=paper, now=timezone.now(), on_progress=None
    )


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError(f"urllib was asked to open {args}")

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", refuse)


# One debrief ----------------------------------------------------------------------------------


def test_debrief_report_says_what_the_executive_filed(debrief, visit, eve, adam):
    result = render(ReportKind.DEBRIEF, debrief)
    assert result.pages == 1
    assert result.warnings == []
    text = flat(pdf_text(result.pdf))
    assert "Debrief by Eve Executive" in text
    assert "Visit with Adam Agent" in text
    assert "Long holds while the agent waited for a supervisor override." in text
    assert "Give agents the override for refunds under $50." in text
    assert "2 out of 5" in text
    assert "1. Two systems for one address change" in text
    assert "2. Refund override needs a supervisor" in text
    assert "Category: Policy" in text
    assert "Department: Customer Care" in text
    assert "Suggested fix: One address service." in text
    assert "Page 1 of 1" in text
    assert "Draft" not in text


def test_a_withdrawn_barrier_is_left_out(debrief):
    BarrierReport.objects.filter(title="Refund override needs a supervisor").update(
        withdrawn_at=timezone.now()
    )
    text = flat(pdf_text(render(ReportKind.DEBRIEF, debrief).pdf))
    assert "Refund override" not in text
    assert "Two systems" in text


def test_a_draft_prints_as_a_draft_with_its_typed_barriers(visit, eve):
    from debriefs.services.drafts import debrief_create

    draft = debrief_create(
        pairing=visit,
        by=eve,
        body={"overall": "Half typed", "barriers": [barrier(title="Typed so far")]},
    )
    text = flat(pdf_text(render(ReportKind.DEBRIEF, draft).pdf))
    assert "Draft: not submitted yet" in text
    assert "Half typed" in text
    assert "Typed so far" in text


def test_debrief_report_in_french(debrief):
    text = flat(pdf_text(render(ReportKind.DEBRIEF, debrief, language="fr-ca").pdf))
    assert "Page 1 de 1" in text


def test_hostile_text_in_a_debrief_is_printed_as_text_and_never_fetched(
    visit, eve, care, no_network
):
    debrief = submit_debrief(
        visit,
        eve,
        overall=" ".join(HOSTILE),
        commitment=HOSTILE[3],
        barriers=[barrier(title=text[:200], suggested_fix=text) for text in HOSTILE],
    )
    result = render(ReportKind.DEBRIEF, debrief)  # a fetch would have failed the render
    text = squash(pdf_text(result.pdf))
    for hostile in HOSTILE:
        assert squash(hostile) in text


# A visit's day sheet ----------------------------------------------------------------------------


def test_day_sheet_says_where_when_who_and_how_to_prepare(visit, eve, adam, west_site):
    west_site.address = "1 Main St, Vancouver"
    west_site.save()
    visit.refresh_from_db()
    result = render(ReportKind.DAY_SHEET, visit)
    assert result.pages == 1
    text = flat(pdf_text(result.pdf))
    assert "Day sheet" in text
    assert "Eve Executive beside Adam Agent" in text
    # The site's local time, not UTC.
    assert "09:00–17:00" in text
    assert "America/Vancouver" in text
    assert "Vancouver (VAN)" in text
    assert "1 Main St, Vancouver" in text
    assert "Preparing for the day" in text
    assert "What to expect" in text
    assert "eve@example.com" in text
    assert "adam@example.com" in text


def test_day_sheet_on_a4_stays_on_one_page(visit):
    assert render(ReportKind.DAY_SHEET, visit, paper="a4").pages == 1


# The programme report ---------------------------------------------------------------------------


@pytest.fixture
def big_programme(programme, west_site):
    """60 departments, each with two executives; one of them visited and debriefed."""
    yesterday = local_today(west_site) - dt.timedelta(days=1)
    agent_department = DepartmentFactory(code="FLOOR", name="Front line")
    for n in range(60):
        department = DepartmentFactory(code=f"D{n:02d}", name=f"Department {n:02d}")
        executive = PersonFactory(
            email=f"exec{n}@example.com",
            department=department,
            site=west_site,
            is_executive=True,
        )
        PersonFactory(
            email=f"idle{n}@example.com", department=department, site=west_site, is_executive=True
        )
        agent = PersonFactory(
            email=f"agent{n}@example.com",
            department=agent_department,
            site=west_site,
            is_agent=True,
        )
        if n % 3 == 0:
            visit = make_visit(programme, executive, agent, yesterday)
            submit_debrief(
                visit, executive, barriers=[barrier(department="FLOOR", category="training")]
            )
    programme.pairings.update(attendance="attended")  # "visited" counts who came
    return programme


def test_programme_report_figures_match_the_data(big_programme):
    result = render(ReportKind.PROGRAMME, big_programme)
    pages = pdf_pages(result.pdf)
    assert len(pages) == result.pages
    assert result.pages >= 3
    text = flat("\n".join(pages))
    assert "Participation by department" in text
    assert "Debrief completion" in text
    assert "Barriers by department and category" in text
    # Department 00 had a visit and a debrief; department 01 none.
    assert "Department 00 (D00) 2 1 1 1 50 %" in text
    assert "Department 01 (D01) 2 0 0 0 0 %" in text
    invited = 20
    assert f"All departments 120 {invited} {invited} {invited}" in text
    # Every barrier went to the front line, as training.
    assert "Front line 0 0 0 20 0 0 0 0 20" in text
    assert f"Page 1 of {result.pages}" in text
    assert f"Page {result.pages} of {result.pages}" in text


def test_every_page_has_the_running_header(big_programme):
    result = render(ReportKind.PROGRAMME, big_programme)
    for page in pdf_pages(result.pdf):
        assert "Programme report · Autumn" in page
        assert "Generated" in page


def test_the_participation_tables_header_is_on_every_page_holding_its_rows(big_programme):
    pages = pdf_pages(render(ReportKind.PROGRAMME, big_programme).pdf)
    holding = [page for page in pages if re.search(r"Department \d\d \(D\d\d\) 2 ", page)]
    assert holding
    for page in holding:
        assert "Executives Invited Visited Debriefed" in flat(page)


def test_a_row_never_splits_across_pages(big_programme):
    pages = pdf_pages(render(ReportKind.PROGRAMME, big_programme).pdf)
    for n in range(60):
        holding = [page for page in pages if f"Department {n:02d} (D{n:02d}) 2 " in flat(page)]
        assert len(holding) == 1, n


def test_hostile_names_in_the_programme_report_are_text(programme, west_site, no_network):
    Department.objects.create(code="EVIL", name=HOSTILE[1][:200])
    programme.name = HOSTILE[3]
    programme.save()
    text = squash(pdf_text(render(ReportKind.PROGRAMME, programme).pdf))
    assert squash(HOSTILE[1]) in text
    assert squash(HOSTILE[3]) in text


@pytest.fixture
def filed_backlog(programme, visit, debrief, hank, adam, care, finance):
    """eve's two barriers and adam's anonymous one, filed into the backlog; one claimed."""
    from barriers.models import BacklogItem
    from barriers.services.claims import barrier_claim
    from barriers.services.filing import backlog_file_reports
    from debriefs.services.reports import barrier_report_file_by_agent

    agent_report, _created = barrier_report_file_by_agent(
        pairing=visit,
        agent=adam,
        barrier=barrier(title="Adam's own barrier about the refund screen"),
        anonymous=True,
        key=str(uuid.uuid4()),
    )
    report_ids = [*debrief.reports.values_list("pk", flat=True), agent_report.pk]
    backlog_file_reports(report_ids=report_ids)
    item = BacklogItem.objects.get(title="Two systems for one address change")
    barrier_claim(
        barrier=item,
        by=hank,
        due=clock.local_today() + dt.timedelta(days=30),
        first_step="Ask IT for one address service",
    )
    return BacklogItem.objects.all()


def test_programme_report_shows_top_barriers_owners_statuses_and_speed(
    programme, filed_backlog, hank, finance
):
    text = flat(pdf_text(render(ReportKind.PROGRAMME, programme).pdf))
    assert "Top barriers by priority" in text
    for item in filed_backlog:
        assert item.title in text
    assert "Hank Head Claimed" in text
    assert "How fast each department claims and resolves" in text
    assert "Median days to claim" in text
    assert "Departments that have claimed nothing" in text


def test_no_pdf_names_an_agent_who_reported_a_barrier(
    programme, filed_backlog, care, hank, adam, debrief
):
    """Heads read the programme report and their backlog; adam hid his name from his
    management chain (hank). No report names any reporter at all."""
    for kind, obj in ((ReportKind.PROGRAMME, programme), (ReportKind.BACKLOG, care)):
        text = pdf_text(render(kind, obj).pdf)
        assert "Adam's own barrier" in text
        assert "Adam Agent" not in text, kind
        assert "adam@example.com" not in text, kind
    # The executive's debrief holds only her own barriers (the agent is named as her host).
    assert "Adam's own barrier" not in pdf_text(render(ReportKind.DEBRIEF, debrief).pdf)


def test_departments_that_have_claimed_nothing_are_named(programme, filed_backlog, care):
    from barriers.models import BacklogItem

    BacklogItem.objects.filter(department=care).update(
        first_claimed_at=None,
    )
    text = flat(pdf_text(render(ReportKind.PROGRAMME, programme).pdf))
    assert "Customer Care: 3 open items, never a claim" in text or (
        "Customer Care: 2 open items, never a claim" in text
    )


def test_a_programme_without_anything_yet(programme):
    result = render(ReportKind.PROGRAMME, programme)
    text = flat(pdf_text(result.pdf))
    assert "No visits yet." in text
    assert "No barriers reported yet." in text


# A department's backlog -------------------------------------------------------------------------


def test_backlog_is_printed_across_the_sheet(care, hank, backlog_items):
    import io

    from pypdf import PdfReader

    result = render(ReportKind.BACKLOG, care)
    box = PdfReader(io.BytesIO(result.pdf)).pages[0].mediabox
    assert float(box.width) > float(box.height)


def test_backlog_lists_every_item_with_owner_due_status_reports_and_first_step(
    care, hank, backlog_items
):
    result = render(ReportKind.BACKLOG, care)
    text = flat(pdf_text(result.pdf))
    assert "Backlog of Customer Care" in text
    assert "Head of department: Hank Head" in text
    assert f"{len(backlog_items)} items" in text
    for item in backlog_items:
        assert item.title in text
    claimed = next(item for item in backlog_items if item.first_step)
    row = (
        f"{claimed.pk} {claimed.title} Hank Head Claimed {claimed.due:%b} {claimed.due.day}, "
        f"{claimed.due.year} "
        f"{claimed.report_count} {claimed.first_step}"
    )
    assert row in text
    merged_away = "Merged items are not listed"
    assert merged_away not in text


def test_a_long_backlog_repeats_its_header_on_every_page_and_never_splits_a_row(
    care, hank, many_items
):
    result = render(ReportKind.BACKLOG, care)
    pages = pdf_pages(result.pdf)
    assert result.pages == len(pages) >= 3
    table_pages = [page for page in pages[1:]]
    for page in table_pages:
        assert "Barrier Owner Status Due Reports First step" in flat(page)
        assert "Backlog · Customer Care (CARE)" in page  # the running header
    for item in many_items:
        marker = f"{item.pk} {item.title} "
        assert sum(marker in flat(page) for page in pages) == 1, item.pk


def test_an_empty_backlog(care, hank):
    text = flat(pdf_text(render(ReportKind.BACKLOG, care).pdf))
    assert "No items on this backlog." in text
    assert "0 items" in text


def test_hostile_item_text_is_printed_as_text(care, hank, no_network):
    make_items(care, hank, 1, title=HOSTILE[1][:200], first_step=HOSTILE[3], start=1)
    text = squash(pdf_text(render(ReportKind.BACKLOG, care).pdf))
    assert squash(HOSTILE[1]) in text
    assert squash(HOSTILE[3]) in text


def test_the_debrief_report_says_what_became_of_each_barrier(debrief, filed_backlog):
    from barriers.models import BacklogItem

    claimed = BacklogItem.objects.get(title="Two systems for one address change")
    other = BacklogItem.objects.get(title="Refund override needs a supervisor")
    text = flat(pdf_text(render(ReportKind.DEBRIEF, debrief).pdf))
    assert f"On the backlog: item #{claimed.pk}, Claimed, owner Hank Head" in text
    assert "First step: Ask IT for one address service" in text
    assert f"On the backlog: item #{other.pk}, New, owner Hank Head" in text


@pytest.mark.parametrize("kind", list(ReportKind))
def test_no_pdf_makes_weasyprint_warn(request, kind, debrief, visit, programme, care, hank):
    """Not one unknown CSS property or value: a typo in the stylesheet would otherwise go
    unseen (WeasyPrint only logs it)."""
    obj = {
        ReportKind.PROGRAMME: programme,
        ReportKind.BACKLOG: care,
        ReportKind.DEBRIEF: debrief,
        ReportKind.DAY_SHEET: visit,
    }[kind]
    assert render(kind, obj).warnings == []
