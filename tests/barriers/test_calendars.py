"""Each department's working calendar from the database (`barriers.calendars`): its own
province, else its head's site's, else weekends only; company days off everywhere; bounded
queries. Then what uses it: escalation that waits out a holiday, and due dates refused on a
day off (service, page and API)."""

import datetime as dt

import holidays
import pytest
from django.core.exceptions import ValidationError

from barriers import tasks
from barriers.calendars import department_calendar, department_calendars
from barriers.kinds import NoticeKind
from barriers.models import BacklogItem, Status
from barriers.services.claims import barrier_claim, barrier_reassign
from barriers.workdays import working_days_between
from shadowing import clock
from shadowing.organisation.models import CompanyDay, Department
from tests.barriers.conftest import file_report, item_of
from tests.factories import DepartmentFactory, PersonFactory, SiteFactory

pytestmark = pytest.mark.django_db

QUEBEC = holidays.country_holidays("CA", subdiv="QC", years=range(2025, 2035))
ONTARIO = holidays.country_holidays("CA", subdiv="ON", years=range(2025, 2035))


def quebec_only_day(after: dt.date) -> dt.date:
    """The first weekday after `after` that is a holiday in Quebec and not in Ontario."""
    day = after + dt.timedelta(days=2)
    while not (day.weekday() < 5 and day in QUEBEC and day not in ONTARIO):
        day += dt.timedelta(days=1)
    return day


def in_province(department, subdivision):
    department.country, department.subdivision = "CA", subdivision
    department.save(update_fields=["country", "subdivision"])
    return department


def test_a_department_s_own_province_decides(care, finance):
    in_province(care, "QC")
    in_province(finance, "ON")
    start, end = dt.date(2027, 1, 1), dt.date(2027, 12, 31)
    june_24 = dt.date(2027, 6, 24)
    assert not department_calendar(care, start, end).is_working(june_24)
    assert department_calendar(finance, start, end).is_working(june_24)
    assert department_calendar(care, start, end).reason(june_24)  # named
    family_day = dt.date(2027, 2, 15)
    assert department_calendar(care, start, end).is_working(family_day)
    assert not department_calendar(finance, start, end).is_working(family_day)


def test_without_a_country_the_head_s_site_decides(care, hank, west_site):
    west_site.country, west_site.subdivision = "CA", "BC"
    west_site.save()
    calendar = department_calendar(care, dt.date(2027, 1, 1), dt.date(2027, 12, 31))
    assert not calendar.is_working(dt.date(2027, 8, 2))  # British Columbia Day
    assert not calendar.is_working(dt.date(2027, 9, 30))  # Truth and Reconciliation
    assert calendar.is_working(dt.date(2027, 6, 24))


def test_with_no_country_anywhere_only_weekends_and_company_days_close(care, hank):
    CompanyDay.objects.create(date=dt.date(2027, 12, 24), name="Holiday shutdown")
    calendar = department_calendar(care, dt.date(2027, 1, 1), dt.date(2027, 12, 31))
    assert calendar.is_working(dt.date(2027, 7, 1))  # Canada Day is not known here
    assert not calendar.is_working(dt.date(2027, 12, 24))
    assert calendar.reason(dt.date(2027, 12, 24)) == "Holiday shutdown"


def test_company_days_close_every_department(care, finance):
    in_province(care, "QC")
    day = dt.date(2027, 8, 13)  # a Friday, no holiday anywhere in Canada
    CompanyDay.objects.create(date=day, name="Summer Friday")
    calendars = department_calendars([care, finance], dt.date(2027, 8, 1), dt.date(2027, 8, 31))
    assert not calendars[care.pk].is_working(day)
    assert not calendars[finance.pk].is_working(day)
    assert working_days_between(dt.date(2027, 8, 12), dt.date(2027, 8, 16), calendars[care.pk]) == 1


@pytest.mark.parametrize("count", [1, 12])
def test_calendars_of_many_departments_cost_two_queries(count, django_assert_num_queries):
    sites = [SiteFactory(country="CA", subdivision=s) for s in ("QC", "ON", "BC", "AB")]
    departments = []
    for n in range(count):
        department = DepartmentFactory()
        head = PersonFactory(department=department, site=sites[n % 4], is_department_head=True)
        department.head = head
        department.save(update_fields=["head"])
        departments.append(department)
    departments = list(Department.objects.filter(pk__in=[d.pk for d in departments]))
    with django_assert_num_queries(2):  # company days, heads' sites
        calendars = department_calendars(departments, dt.date(2027, 1, 1), dt.date(2027, 12, 31))
    assert len(calendars) == count
    assert not calendars[departments[0].pk].is_working(dt.date(2027, 6, 24))  # QC head


# Escalation --------------------------------------------------------------------------------

FRIDAY = dt.datetime(2027, 6, 18, 14, tzinfo=dt.UTC)  # the week before Fête nationale


def noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


@pytest.fixture
def june_item(visit, hank, care):
    item = item_of(file_report(visit))
    BacklogItem.objects.filter(pk=item.pk).update(owned_since=FRIDAY, created_at=FRIDAY)
    item.refresh_from_db()
    return item


def test_escalation_waits_out_quebec_s_holiday(settings, june_item, care):
    """Weekends only, the fifth working day after Friday 18 June is Friday 25 June; in Quebec
    24 June is closed, so the reminder waits for Monday 28 June."""
    settings.PROGRAMME_TIME_ZONE = "UTC"
    in_province(care, "QC")
    assert tasks.escalate(now=noon(dt.date(2027, 6, 25))) == {}
    assert tasks.escalate(now=noon(dt.date(2027, 6, 28))) == {NoticeKind.REMINDER: 1}


def test_in_ontario_the_same_item_is_reminded_on_friday(settings, june_item, care):
    settings.PROGRAMME_TIME_ZONE = "UTC"
    in_province(care, "ON")
    assert tasks.escalate(now=noon(dt.date(2027, 6, 25))) == {NoticeKind.REMINDER: 1}


def test_a_company_day_delays_escalation_too(settings, june_item, care):
    settings.PROGRAMME_TIME_ZONE = "UTC"
    in_province(care, "QC")
    CompanyDay.objects.create(date=dt.date(2027, 6, 25), name="Long weekend")
    assert tasks.escalate(now=noon(dt.date(2027, 6, 28))) == {}
    assert tasks.escalate(now=noon(dt.date(2027, 6, 29))) == {NoticeKind.REMINDER: 1}


def test_an_overdue_claim_counts_working_days_after_its_due_date(settings, june_item, care, hank):
    settings.PROGRAMME_TIME_ZONE = "UTC"
    in_province(care, "QC")
    barrier_claim(barrier=june_item, by=hank, due=dt.date(2027, 6, 21), first_step="x", now=FRIDAY)
    # After Mon 21 June: 22, 23, (24 closed), 25, 28 = 4; (1 July closed); 29 = 5.
    assert tasks.escalate(now=noon(dt.date(2027, 6, 28))) == {}
    assert tasks.escalate(now=noon(dt.date(2027, 6, 29))) == {NoticeKind.OVERDUE_REMINDER: 1}


# Due dates --------------------------------------------------------------------------------


def test_a_due_date_on_a_holiday_is_refused_naming_it(item, care, hank):
    in_province(care, "QC")
    holiday = quebec_only_day(clock.local_today())
    with pytest.raises(ValidationError) as caught:
        barrier_claim(barrier=item, by=hank, due=holiday, first_step="Call them.")
    message = caught.value.message_dict["due"][0]
    assert QUEBEC[holiday].split(";")[0] in message
    item.refresh_from_db()
    assert item.status == Status.NEW


def test_the_same_day_is_fine_in_ontario(item, care, hank):
    in_province(care, "ON")
    holiday = quebec_only_day(clock.local_today())
    claimed = barrier_claim(barrier=item, by=hank, due=holiday, first_step="Call them.")
    assert claimed.due == holiday


def test_a_due_date_on_a_company_day_is_refused_and_reassign_checks_too(item, hank, mo):
    good = clock.local_today() + dt.timedelta(days=3)
    claimed = barrier_claim(barrier=item, by=hank, due=good, first_step="x")
    off = good + dt.timedelta(days=7)
    CompanyDay.objects.create(date=off, name="Offsite")
    with pytest.raises(ValidationError) as caught:
        barrier_reassign(barrier=claimed, by=hank, owner=mo, due=off)
    assert "Offsite" in caught.value.message_dict["due"][0]
    claimed.refresh_from_db()
    assert (claimed.due, claimed.owner) == (good, hank)


def test_the_claim_page_refuses_a_holiday_and_keeps_what_was_typed(client, item, care, hank):
    in_province(care, "QC")
    holiday = quebec_only_day(clock.local_today())
    client.force_login(hank)
    response = client.post(
        f"/backlog/{item.pk}/claim/",
        {"owner": hank.pk, "due": holiday.isoformat(), "first_step": "Phone the vendor."},
    )
    assert response.status_code == 400
    assert b"Phone the vendor." in response.content
    assert QUEBEC[holiday].split(";")[0].encode() in response.content
    item.refresh_from_db()
    assert item.status == Status.NEW


def test_the_claim_api_answers_400_naming_due(api_as, item, care, hank):
    in_province(care, "QC")
    holiday = quebec_only_day(clock.local_today())
    response = api_as(hank).post(
        f"/api/v1/barriers/{item.pk}/claim/",
        {"due": holiday.isoformat(), "first_step": "Phone the vendor."},
        format="json",
    )
    assert response.status_code == 400
    assert "due" in response.json()
    item.refresh_from_db()
    assert item.status == Status.NEW
