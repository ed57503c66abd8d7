"""Attendance: the visit's agent or a coordinator records whether the executive came, from the
visit's day at its site on, for published visits only; the last write wins and says who."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from shadowing.programmes.attendance import pairing_attendance_record
from shadowing.programmes.pairing_models import Pairing, PairingStatus
from tests.programmes.conftest import TUE, make_pairing, make_shift

pytestmark = pytest.mark.django_db

# Vancouver is UTC-8 in early March 2027: the visit's day there starts at 08:00 UTC.
EVE_OF_VISIT = dt.datetime(2027, 3, 9, 7, 30, tzinfo=dt.UTC)  # 23:30 on Monday, Vancouver
MORNING_OF_VISIT = dt.datetime(2027, 3, 9, 8, 30, tzinfo=dt.UTC)  # 00:30 on Tuesday
AFTER_VISIT = dt.datetime(2027, 3, 10, 18, 0, tzinfo=dt.UTC)


@pytest.fixture
def visit(spring, eve, adam):
    shift = make_shift(spring, adam, TUE)
    return make_pairing(spring, eve, adam, TUE, status=PairingStatus.PUBLISHED, shift=shift)


def url(visit):
    return f"/api/v1/pairings/{visit.pk}/attendance/"


def page(visit):
    return reverse(
        "shadowing:pairing-attendance", kwargs={"slug": visit.programme.slug, "pk": visit.pk}
    )


@time_machine.travel(AFTER_VISIT, tick=False)
@pytest.mark.parametrize(
    ("who", "status"),
    [("cora", 200), ("adam", 200), ("eve", 403), ("ada", 404), ("nina", 404), ("hank", 404)],
)
def test_who_records_attendance_through_the_api(request, api_as, visit, who, status):
    person = request.getfixturevalue(who)
    response = api_as(person).post(url(visit), {"attendance": "attended"}, format="json")
    assert response.status_code == status, response.content
    visit.refresh_from_db()
    assert visit.attendance == ("attended" if status == 200 else "")


@time_machine.travel(AFTER_VISIT, tick=False)
@pytest.mark.parametrize(("who", "status"), [("eve", 200), ("adam", 200), ("ada", 404)])
def test_the_visit_people_read_its_attendance(request, api_as, visit, who, status):
    response = api_as(request.getfixturevalue(who)).get(url(visit))
    assert response.status_code == status


@time_machine.travel(AFTER_VISIT, tick=False)
def test_anonymous_is_refused(api, visit):
    assert api.post(url(visit), {"attendance": "attended"}).status_code in (401, 403)


@time_machine.travel(AFTER_VISIT, tick=False)
def test_recorded_with_who_and_when_and_the_last_write_wins(api_as, visit, adam, cora):
    first = api_as(adam).post(url(visit), {"attendance": "attended", "note": " came "})
    assert first.json()["recorded_by"] == "adam@example.com"
    assert first.json()["note"] == "came"
    second = api_as(cora).post(url(visit), {"attendance": "cut_short", "note": "left at noon"})
    assert second.status_code == 200
    visit.refresh_from_db()
    assert (visit.attendance, visit.attendance_note) == ("cut_short", "left at noon")
    assert visit.attendance_recorded_by == cora
    assert visit.attendance_recorded_at == AFTER_VISIT
    # The visit itself says it too, for integrations that read pairings.
    pairing = api_as(cora).get(f"/api/v1/pairings/{visit.pk}/").json()
    assert pairing["attendance"] == "cut_short"


@time_machine.travel(AFTER_VISIT, tick=False)
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"attendance": "maybe"}, "attendance"),
        ({}, "attendance"),
        ({"attendance": "attended", "note": "x" * 501}, "note"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(api_as, visit, adam, body, field):
    response = api_as(adam).post(url(visit), body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    visit.refresh_from_db()
    assert visit.attendance == ""
    assert visit.attendance_recorded_by is None


@time_machine.travel(EVE_OF_VISIT, tick=False)
def test_not_before_the_visit_day_at_its_site(api_as, visit, adam):
    response = api_as(adam).post(url(visit), {"attendance": "no_show"})
    assert response.status_code == 400
    assert "March 9, 2027" in response.json()["attendance"][0]
    assert Pairing.objects.get(pk=visit.pk).attendance == ""


@time_machine.travel(MORNING_OF_VISIT, tick=False)
def test_from_the_first_minute_of_the_visit_day_at_its_site(api_as, visit, adam):
    assert api_as(adam).post(url(visit), {"attendance": "no_show"}).status_code == 200


@time_machine.travel(AFTER_VISIT, tick=False)
@pytest.mark.parametrize("status", [PairingStatus.PROPOSED, PairingStatus.CANCELLED])
def test_only_published_visits(api_as, visit, cora, status):
    Pairing.objects.filter(pk=visit.pk).update(status=status)
    response = api_as(cora).post(url(visit), {"attendance": "attended"})
    assert response.status_code == 400
    assert "attendance" in response.json()


@time_machine.travel(AFTER_VISIT, tick=False)
def test_the_service_refuses_the_executive(visit, eve):
    with pytest.raises(PermissionDenied):
        pairing_attendance_record(pairing=visit, by=eve, attendance="attended")


@time_machine.travel(AFTER_VISIT, tick=False)
def test_the_service_refuses_a_note_with_a_null_character(visit, adam):
    with pytest.raises(ValidationError) as caught:
        pairing_attendance_record(pairing=visit, by=adam, attendance="attended", note="a\x00b")
    assert "note" in caught.value.message_dict


# The page ------------------------------------------------------------------------------------


@time_machine.travel(AFTER_VISIT, tick=False)
def test_the_agent_records_from_the_page_and_goes_back(client, visit, adam):
    client.force_login(adam)
    assert client.get(page(visit)).status_code == 200
    response = client.post(page(visit), {"attendance": "no_show", "next": "/"})
    assert response.status_code == 302
    assert response.url == "/"
    visit.refresh_from_db()
    assert visit.attendance == "no_show"
    assert visit.attendance_recorded_by == adam


@time_machine.travel(AFTER_VISIT, tick=False)
def test_the_page_never_goes_back_to_another_site(client, visit, adam):
    client.force_login(adam)
    response = client.post(page(visit), {"attendance": "attended", "next": "https://evil.example/"})
    assert response.url == page(visit)


@time_machine.travel(AFTER_VISIT, tick=False)
@pytest.mark.parametrize(("who", "status"), [("cora", 200), ("eve", 403), ("ada", 404)])
def test_who_may_open_the_page(client, request, visit, who, status):
    client.force_login(request.getfixturevalue(who))
    assert client.get(page(visit)).status_code == status


@time_machine.travel(AFTER_VISIT, tick=False)
def test_a_bad_choice_on_the_page_says_so(client, visit, adam):
    client.force_login(adam)
    response = client.post(page(visit), {"attendance": "maybe"})
    assert response.status_code == 400
    assert b"errorlist" in response.content
    assert Pairing.objects.get(pk=visit.pk).attendance == ""


@time_machine.travel(EVE_OF_VISIT, tick=False)
def test_the_page_before_the_day_says_when_and_offers_no_form(client, visit, adam):
    client.force_login(adam)
    response = client.get(page(visit))
    assert response.status_code == 200
    assert b"March 9, 2027" in response.content
    assert b'name="attendance"' not in response.content
