"""The programme's life follows the clock, and its page says the next step with its button."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from shadowing.programmes.lifecycle import stage_of
from shadowing.programmes.models import Availability, ProgrammeStatus
from tests.programmes.conftest import MON, make_pairing, make_shift

pytestmark = pytest.mark.django_db

LAST = dt.date(2027, 3, 19)  # spring's last day
HOME = zoneinfo.ZoneInfo("America/Toronto")


def at(day: dt.date, hour: int = 12):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, tzinfo=HOME))


def page(client, programme) -> str:
    client.force_login(client.user)  # sessions time out: sign in again at each moment
    return client.get(
        reverse("shadowing:programme", kwargs={"slug": programme.slug})
    ).content.decode()


@pytest.mark.parametrize(
    ("status", "today", "stage"),
    [
        ("draft", dt.date(2027, 4, 1), "draft"),  # nothing moves without a person
        ("pairing", dt.date(2027, 3, 10), "pairing"),
        ("published", dt.date(2027, 3, 7), "published"),
        ("published", MON, "running"),
        ("published", LAST, "running"),
        ("published", LAST + dt.timedelta(days=1), "ended"),
        ("running", LAST + dt.timedelta(days=1), "ended"),
        ("closed", LAST + dt.timedelta(days=1), "closed"),
    ],
)
def test_stage_of(status, today, stage):
    assert stage_of(status, MON, LAST, today) == stage


def test_a_published_programme_reads_running_on_its_first_day_on_page_and_api(
    client, api_as, cora, spring
):
    spring.status = ProgrammeStatus.PUBLISHED
    spring.save()
    client.user = cora
    with at(MON - dt.timedelta(days=1), 23):  # 23:00 in Toronto: not yet its first day
        assert "Published" in page(client, spring)
    with at(MON, 0):
        html = page(client, spring)
        assert "Running" in html
        assert "Published" not in html
        body = api_as(cora).get(f"/api/v1/programmes/{spring.slug}/").json()
        assert (body["status"], body["stage"]) == ("running", "running")
        assert "Follow the debriefs" in html
        assert reverse("debriefs:completion", kwargs={"slug": spring.slug}) in html


def test_closing_waits_for_the_last_day_then_is_the_next_step(client, cora, spring):
    spring.status = ProgrammeStatus.PUBLISHED
    spring.save()
    client.user = cora
    transition = reverse("shadowing:programme-transition", kwargs={"slug": spring.slug})
    with at(LAST):
        client.force_login(cora)
        response = client.post(transition, {"status": "closed"}, follow=True)
        assert (
            "can be closed once its last day (2027-03-19) has passed" in response.content.decode()
        )
    spring.refresh_from_db()
    assert spring.status == ProgrammeStatus.RUNNING  # the clock's part was stored on the way
    with at(LAST + dt.timedelta(days=1)):
        html = page(client, spring)
        assert "Ended" in html
        assert "Close the programme" in html
        assert 'value="closed"' in html
        client.force_login(cora)
        client.post(transition, {"status": "closed"})
    spring.refresh_from_db()
    assert spring.status == ProgrammeStatus.CLOSED


def test_closing_by_api_before_the_end_is_400(api_as, cora, spring):
    spring.status = ProgrammeStatus.RUNNING
    spring.save()
    with at(MON):
        response = api_as(cora).post(
            f"/api/v1/programmes/{spring.slug}/transition/", {"status": "closed"}, format="json"
        )
    assert response.status_code == 400
    assert "once its last day" in response.json()["status"][0]


def test_the_next_step_follows_what_the_programme_holds(client, cora, spring, eve, adam):
    client.user = cora
    with at(MON - dt.timedelta(days=20)):
        assert "Import shifts" in page(client, spring)
        make_shift(spring, adam, MON)
        assert "Import availability" in page(client, spring)
        Availability.objects.create(programme=spring, executive=eve, date=MON)
        html = page(client, spring)
        assert "Pair now" in html
        make_pairing(spring, eve, adam, MON)
        html = page(client, spring)
        assert "Review the pairings" in html
        assert reverse("reports:programme-dashboard", kwargs={"slug": spring.slug}) in html
