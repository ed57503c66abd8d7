"""A programme's blackout dates: the service's refusals, the programme page and its form, the
API (role by action, field errors, query counts) and the admin's inline."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from shadowing.programmes.blackouts import blackout_date_add, blackout_date_remove, blackout_days
from shadowing.programmes.models import BlackoutDate, Programme, ProgrammeStatus
from shadowing.programmes.pairing_models import PairingStatus
from tests.programmes.conftest import MON, TUE, WED, make_pairing

pytestmark = pytest.mark.django_db

CAST = ["cora", "hank", "eve", "adam", "nina"]


def api_url(programme, day=None):
    base = f"/api/v1/programmes/{programme.slug}/blackout-dates/"
    return f"{base}{day}/" if day else base


def page_url(name, programme, **kwargs):
    return reverse(f"shadowing:{name}", kwargs={"slug": programme.slug, **kwargs})


# The service --------------------------------------------------------------------------------


def test_add_and_remove(spring):
    blackout_date_add(programme=spring, date=TUE, reason="  Town hall  ")
    assert list(spring.blackout_dates.values_list("date", "reason")) == [(TUE, "Town hall")]
    blackout_date_remove(programme=spring, date=TUE)
    assert not spring.blackout_dates.exists()


@pytest.mark.parametrize(
    ("day", "reason", "field", "words"),
    [
        (dt.date(2027, 3, 7), "Town hall", "date", "outside the programme"),
        (dt.date(2027, 3, 20), "Town hall", "date", "outside the programme"),
        (MON, "Again", "date", "already a blackout date"),
        (TUE, "   ", "reason", "Say why"),
        (TUE, "x" * 201, "reason", "at most 200"),
    ],
)
def test_add_refuses_with_the_field_named(spring, day, reason, field, words):
    BlackoutDate.objects.create(programme=spring, date=MON, reason="Month-end close")
    with pytest.raises(ValidationError) as refused:
        blackout_date_add(programme=spring, date=day, reason=reason)
    assert words in refused.value.message_dict[field][0]
    assert spring.blackout_dates.count() == 1


def test_a_closed_programme_keeps_its_blackout_dates(spring):
    BlackoutDate.objects.create(programme=spring, date=MON, reason="Month-end close")
    Programme.objects.filter(pk=spring.pk).update(status=ProgrammeStatus.CLOSED)
    spring.refresh_from_db()
    with pytest.raises(ValidationError, match="closed"):
        blackout_date_add(programme=spring, date=TUE, reason="Town hall")
    with pytest.raises(ValidationError, match="closed"):
        blackout_date_remove(programme=spring, date=MON)
    assert spring.blackout_dates.count() == 1


def test_blackout_days_count_the_visits_on_each(spring, eve, ed, adam, ada):
    make_pairing(spring, eve, adam, MON)
    make_pairing(spring, ed, ada, MON, status=PairingStatus.PUBLISHED)
    make_pairing(spring, ed, adam, TUE, status=PairingStatus.CANCELLED)
    for day in (MON, TUE):
        blackout_date_add(programme=spring, date=day, reason="Closed")
    monday, tuesday = blackout_days(spring)
    assert (monday.date, monday.proposed, monday.kept) == (MON, 1, 1)
    assert (tuesday.date, tuesday.proposed, tuesday.kept) == (TUE, 0, 0)


# The programme page -------------------------------------------------------------------------


def test_the_programme_page_lists_them_with_a_form(client, cora, spring):
    BlackoutDate.objects.create(programme=spring, date=MON, reason="Month-end close")
    client.force_login(cora)
    page = client.get(page_url("programme", spring)).content.decode()
    assert "Blackout dates" in page
    assert "Month-end close" in page
    assert page_url("programme-blackout-remove", spring, day="2027-03-08") in page
    assert 'min="2027-03-08"' in page
    assert 'max="2027-03-19"' in page


def test_adding_from_the_page_says_what_becomes_of_the_visits_on_it(
    client, cora, spring, eve, ed, adam, ada
):
    make_pairing(spring, eve, adam, TUE)
    make_pairing(spring, ed, ada, TUE)
    client.force_login(cora)
    response = client.post(
        page_url("programme-blackouts", spring), {"date": "2027-03-09", "reason": "Town hall"}
    )
    assert response.status_code == 302
    assert response["Location"] == page_url("programme", spring) + "#blackouts"
    page = client.get(response["Location"]).content.decode()
    assert "2 proposed visits fall on this day: the next pairing run will move them." in page
    assert spring.blackout_dates.get().reason == "Town hall"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"date": "2027-04-01", "reason": "Town hall"}, "is outside the programme"),
        ({"date": "2027-03-08", "reason": "Twice"}, "is already a blackout date"),
        ({"date": "not a date", "reason": "Town hall"}, "Enter a valid date"),
        ({"date": "2027-03-10", "reason": ""}, "This field is required"),
    ],
)
def test_a_bad_date_is_shown_again_with_the_error(client, cora, spring, data, words):
    BlackoutDate.objects.create(programme=spring, date=MON, reason="Month-end close")
    client.force_login(cora)
    response = client.post(page_url("programme-blackouts", spring), data)
    assert response.status_code == 400
    assert words in response.content.decode()
    assert spring.blackout_dates.count() == 1


def test_removing_from_the_page(client, cora, spring):
    BlackoutDate.objects.create(programme=spring, date=MON, reason="Month-end close")
    client.force_login(cora)
    response = client.post(page_url("programme-blackout-remove", spring, day="2027-03-08"))
    assert response.status_code == 302
    assert not spring.blackout_dates.exists()
    page = client.get(response["Location"]).content.decode()
    assert "is open again" in page
    again = client.post(page_url("programme-blackout-remove", spring, day="2027-03-08"))
    assert "is not a blackout date" in client.get(again["Location"]).content.decode()
    bad = client.post(page_url("programme-blackout-remove", spring, day="monday"))
    assert bad.status_code == 404


@pytest.mark.parametrize(
    ("person", "expected"),
    [("cora", 302), ("hank", 403), ("eve", 403), ("adam", 404), ("nina", 404)],
)
def test_only_coordinators_add_or_remove_on_the_web(client, request, spring, person, expected):
    BlackoutDate.objects.create(programme=spring, date=MON, reason="Month-end close")
    client.force_login(request.getfixturevalue(person))
    body = {"date": "2027-03-09", "reason": "X"}
    add = client.post(page_url("programme-blackouts", spring), body)
    remove = client.post(page_url("programme-blackout-remove", spring, day="2027-03-08"))
    assert (add.status_code, remove.status_code) == (expected, expected)
    assert spring.blackout_dates.filter(date=MON).exists() == (expected != 302)
    assert spring.blackout_dates.filter(date=TUE).exists() == (expected == 302)


# The API ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("person", "read", "write"),
    [
        ("cora", 200, 201),
        ("hank", 200, 403),
        ("eve", 200, 403),
        ("adam", 404, 404),
        ("nina", 404, 404),
    ],
)
def test_api_role_by_action(api_as, request, spring, person, read, write):
    BlackoutDate.objects.create(programme=spring, date=MON, reason="Month-end close")
    client = api_as(request.getfixturevalue(person))
    assert client.get(api_url(spring)).status_code == read
    created = client.post(api_url(spring), {"date": "2027-03-09", "reason": "Town hall"})
    assert created.status_code == write
    deleted = client.delete(api_url(spring, "2027-03-08"))
    assert deleted.status_code == (204 if write == 201 else write)


def test_api_anonymous_is_refused(api, spring):
    assert api.get(api_url(spring)).status_code in (401, 403)


def test_api_add_list_and_delete(api_as, cora, spring, eve, adam):
    make_pairing(spring, eve, adam, WED, status=PairingStatus.LOCKED)
    client = api_as(cora)
    created = client.post(api_url(spring), {"date": "2027-03-10", "reason": "Town hall"})
    assert created.status_code == 201
    assert created.json() == {
        "date": "2027-03-10",
        "reason": "Town hall",
        "proposed_visits": 0,
        "kept_visits": 1,
    }
    listed = client.get(api_url(spring)).json()
    assert listed["count"] == 1
    assert listed["results"][0]["date"] == "2027-03-10"
    assert client.delete(api_url(spring, "2027-03-10")).status_code == 204
    assert client.delete(api_url(spring, "2027-03-10")).status_code == 404
    assert client.delete(api_url(spring, "2027-02-30")).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"date": "2027-04-01", "reason": "Town hall"}, "date"),
        ({"date": "2027-03-08", "reason": "Twice"}, "date"),
        ({"date": "soon", "reason": "Town hall"}, "date"),
        ({"reason": "Town hall"}, "date"),
        ({"date": "2027-03-10"}, "reason"),
        ({"date": "2027-03-10", "reason": "x" * 201}, "reason"),
    ],
)
def test_api_bad_input_is_400_naming_the_field(api_as, cora, spring, body, field):
    BlackoutDate.objects.create(programme=spring, date=MON, reason="Month-end close")
    response = api_as(cora).post(api_url(spring), body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert spring.blackout_dates.count() == 1


def test_api_list_query_count_is_flat(api_as, cora, spring, eve, adam, django_assert_num_queries):
    client = api_as(cora)
    BlackoutDate.objects.create(programme=spring, date=MON, reason="One")
    with django_assert_num_queries(3):  # programme, blackout dates, visits
        client.get(api_url(spring))
    for day in spring.dates[1:]:
        BlackoutDate.objects.create(programme=spring, date=day, reason="More")
        make_pairing(spring, eve, adam, day)
    with django_assert_num_queries(3):
        assert client.get(api_url(spring)).json()["count"] == len(spring.dates)


def test_the_page_query_count_does_not_grow_with_blackout_dates(
    client, cora, spring, django_assert_max_num_queries
):
    client.force_login(cora)
    BlackoutDate.objects.create(programme=spring, date=MON, reason="One")
    with django_assert_max_num_queries(60) as few:
        client.get(page_url("programme", spring))
    for day in spring.dates[1:]:
        BlackoutDate.objects.create(programme=spring, date=day, reason="More")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(page_url("programme", spring))


# The admin ----------------------------------------------------------------------------------


def inline(prefix="blackout_dates", rows=()):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, (day, reason) in enumerate(rows):
        data[f"{prefix}-{i}-date"] = day
        data[f"{prefix}-{i}-reason"] = reason
    return data


def admin_body(programme, rows):
    return {
        "name": programme.name,
        "start_date": programme.start_date.isoformat(),
        "end_date": programme.end_date.isoformat(),
        "days_per_executive": "1",
        "max_days_per_agent": "2",
        "reporting_depth": "3",
        "visit_briefing": "",
        **inline(rows=rows),
    }


def test_the_admin_adds_blackout_dates_inline(client, cora, spring):
    client.force_login(cora)
    change = reverse("admin:shadowing_programme_change", args=[spring.pk])
    assert "Blackout dates" in client.get(change).content.decode()
    response = client.post(change, admin_body(spring, [("2027-03-09", "Town hall")]))
    assert response.status_code == 302
    assert list(spring.blackout_dates.values_list("date", flat=True)) == [TUE]


def test_the_admin_refuses_a_date_outside_the_programme(client, cora, spring):
    client.force_login(cora)
    change = reverse("admin:shadowing_programme_change", args=[spring.pk])
    response = client.post(change, admin_body(spring, [("2027-05-01", "Town hall")]))
    assert response.status_code == 200
    assert "outside the programme" in response.content.decode()
    assert not spring.blackout_dates.exists()


def test_the_admin_is_for_coordinators(client, eve, spring):
    client.force_login(eve)
    change = reverse("admin:shadowing_programme_change", args=[spring.pk])
    assert client.get(change).status_code in (302, 403)
