"""The coordinators' programme pages, role by action, and the upload -> preview -> confirm flow."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shadowing.organisation.models import StashedUpload
from shadowing.programmes.models import Availability, Programme, ProgrammeStatus, Shift
from shadowing.programmes.pairing_models import PairingStatus
from shadowing.programmes.store.runs import pairing_run_start
from tests.factories import PersonFactory
from tests.programmes.conftest import MON, TUE, make_pairing, make_shift

pytestmark = pytest.mark.django_db

CAST = ["cora", "hank", "eve", "adam", "nina"]
SHIFTS = b"agent_email,date,start,end\nadam@example.com,2027-03-09,09:00,17:00\n"


@pytest.fixture
def person(request):
    return request.getfixturevalue(request.param) if request.param else None


@pytest.fixture
def as_client(client, person):
    if person is not None:
        client.force_login(person)
    return client


def url(name, programme=None):
    return reverse(f"shadowing:{name}", kwargs={"slug": programme.slug} if programme else None)


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="text/csv")


# Role by action -----------------------------------------------------------------------------

# (name, method, whether the URL names the programme, expected status for each of CAST).
# Adam (agent) has no shift in the programme: he does not see it (404).
ACTIONS = [
    ("programmes", "get", False, (200, 200, 200, 200, 200)),
    ("programme-create", "get", False, (200, 403, 403, 403, 403)),
    ("programme", "get", True, (200, 200, 200, 404, 404)),
    ("programme-edit", "get", True, (200, 403, 403, 404, 404)),
    ("programme-transition", "post", True, (302, 403, 403, 404, 404)),
    ("availability-upload", "get", True, (200, 403, 403, 404, 404)),
    ("availability-confirm", "post", True, (302, 403, 403, 404, 404)),
    ("programme-pairings-csv", "get", True, (200, 403, 403, 404, 404)),
    ("programme-pair", "post", True, (302, 403, 403, 404, 404)),
]


@pytest.mark.parametrize("person", [None, *CAST], indirect=True)
@pytest.mark.parametrize(("name", "method", "detail", "by_person"), ACTIONS)
def test_role_by_action(as_client, person, spring, name, method, detail, by_person):
    response = getattr(as_client, method)(url(name, spring if detail else None))
    if person is None:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("shadowing:sign-in"))
    else:
        expected = dict(zip(CAST, by_person, strict=True))[person.email.split("@")[0]]
        assert response.status_code == expected


def test_an_agent_sees_a_programme_they_have_a_shift_in(client, spring, adam):
    make_shift(spring, adam, MON)
    client.force_login(adam)
    assert client.get(url("programmes")).content.decode().count(spring.name) == 1
    assert client.get(url("programme", spring)).status_code == 200


def test_nav_and_home_link_coordinators_to_programmes(client, cora):
    client.force_login(cora)
    page = client.get(reverse("shadowing:home")).content.decode()
    assert page.count(f'href="{url("programmes")}"') == 2


# The programme pages -------------------------------------------------------------------------


def test_create_a_programme_from_the_form(client, cora):
    client.force_login(cora)
    response = client.post(
        url("programme-create"),
        {
            "slug": "fall-2027",
            "name": "Fall 2027",
            "start_date": "2027-10-04",
            "end_date": "2027-10-15",
            "days_per_executive": "2",
            "max_days_per_agent": "2",
            "reporting_depth": "3",
        },
    )
    programme = Programme.objects.get(slug="fall-2027")
    assert response["Location"] == url("programme", programme)
    assert programme.days_per_executive == 2
    assert programme.allow_cross_region is False


def test_the_form_explains_dates_out_of_order(client, cora):
    client.force_login(cora)
    response = client.post(
        url("programme-create"),
        {
            "slug": "x",
            "name": "X",
            "start_date": "2027-10-15",
            "end_date": "2027-10-04",
            "days_per_executive": "1",
            "max_days_per_agent": "2",
            "reporting_depth": "3",
        },
    )
    assert response.status_code == 200
    assert "cannot come before the first day" in response.content.decode()
    assert not Programme.objects.exists()


def test_every_field_has_a_label(client, cora, spring):
    client.force_login(cora)
    for page in (
        url("programme-create"),
        url("programme-edit", spring),
        url("availability-upload", spring),
    ):
        html = client.get(page).content.decode()
        fields = re.findall(r"<(?:input|select|textarea)(?![^>]*hidden)[^>]*id=\"([^\"]+)\"", html)
        assert fields
        for field_id in fields:
            assert f'for="{field_id}"' in html, (page, field_id)


def test_edit_keeps_the_slug_and_refuses_dates_that_leave_out_shifts(client, cora, spring, adam):
    make_shift(spring, adam, dt.date(2027, 3, 19))
    client.force_login(cora)
    form = {
        "name": "Renamed",
        "start_date": "2027-03-08",
        "end_date": "2027-03-12",
        "days_per_executive": "1",
        "max_days_per_agent": "2",
        "reporting_depth": "3",
    }
    response = client.post(url("programme-edit", spring), form)
    assert "holds shifts outside these dates" in response.content.decode()
    spring.refresh_from_db()
    assert spring.name == "Spring 2027"

    form["end_date"] = "2027-03-19"
    response = client.post(url("programme-edit", spring), {**form, "slug": "hijack"})
    spring.refresh_from_db()
    assert (spring.name, spring.slug) == ("Renamed", "spring-2027")


def test_programme_page_shows_counts_and_the_next_steps(client, cora, spring, eve, adam):
    make_pairing(spring, eve, adam, MON)
    make_shift(spring, adam, TUE)
    Availability.objects.create(programme=spring, executive=eve, date=MON)
    client.force_login(cora)
    html = client.get(url("programme", spring)).content.decode()
    assert "Spring 2027" in html
    assert "Mar 8, 2027 – Mar 19, 2027" in html
    assert 'value="pairing"' in html  # draft -> pairing
    assert 'value="published"' not in html  # publishing belongs to publish_programme
    assert url("availability-upload", spring) in html


def test_programme_page_query_count_does_not_grow(
    client, cora, spring, eve, adam, ed, ada, django_assert_max_num_queries
):
    client.force_login(cora)
    client.get(url("programme", spring))  # warm the session
    with django_assert_max_num_queries(12) as few:
        client.get(url("programme", spring))
    make_pairing(spring, eve, adam, MON)
    make_pairing(spring, ed, ada, MON)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url("programme", spring))


def test_programme_list_query_count_does_not_grow(client, cora, django_assert_max_num_queries):
    client.force_login(cora)
    Programme.objects.create(slug="a", name="A", start_date=MON, end_date=MON)
    client.get(url("programmes"))
    with django_assert_max_num_queries(12) as few:
        client.get(url("programmes"))
    for n in range(30):
        Programme.objects.create(slug=f"p{n}", name=f"P{n}", start_date=MON, end_date=MON)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url("programmes"))


def test_an_executive_sees_their_own_visits_on_the_programme_page(
    client, spring, eve, ed, adam, ada
):
    make_pairing(spring, eve, adam, MON)
    make_pairing(spring, ed, ada, MON)
    client.force_login(eve)
    html = client.get(url("programme", spring)).content.decode()
    assert "beside Adam Agent" in html
    assert "Ada Agent" not in html
    assert 'name="status"' not in html


def test_transition_moves_the_programme_and_refuses_a_skip(client, cora, spring):
    client.force_login(cora)
    client.post(url("programme-transition", spring), {"status": "pairing"})
    spring.refresh_from_db()
    assert spring.status == ProgrammeStatus.PAIRING
    response = client.post(url("programme-transition", spring), {"status": "closed"}, follow=True)
    assert "cannot go from pairing to closed" in response.content.decode()
    spring.refresh_from_db()
    assert spring.status == ProgrammeStatus.PAIRING


def test_transition_needs_post(client, cora, spring):
    client.force_login(cora)
    assert client.get(url("programme-transition", spring)).status_code == 405


def test_csv_download(client, cora, spring, eve, adam):
    make_pairing(spring, eve, adam, MON)
    client.force_login(cora)
    response = client.get(url("programme-pairings-csv", spring))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="spring-2027-pairings.csv"' in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode()
    assert (
        body.splitlines()[1]
        == "eve@example.com,adam@example.com,2027-03-08,09:00,17:00,VAN,proposed"
    )


# Upload, preview, confirm --------------------------------------------------------------------


def test_upload_previews_changes_and_broken_pairings_then_confirm_applies(
    client, cora, spring, eve, adam
):
    make_pairing(spring, eve, adam, MON, status=PairingStatus.LOCKED)
    client.force_login(cora)
    response = client.post(url("availability-upload", spring), {"shifts": upload("s.csv", SHIFTS)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Pairings this change breaks" in html
    assert "eve@example.com" in html
    assert "The agent&#x27;s shift on that date is gone." in html
    assert list(Shift.objects.values_list("date", flat=True)) == [MON]  # nothing written yet
    key = html.split('name="key" value="')[1].split('"')[0]

    response = client.post(url("availability-confirm", spring), {"key": key})
    assert response["Location"] == url("programme", spring)
    assert list(Shift.objects.values_list("date", flat=True)) == [TUE]
    pairing = spring.pairings.get()
    assert pairing.needs_repair is True
    assert not StashedUpload.objects.exists()
    # A stash is used once.
    assert client.post(url("availability-confirm", spring), {"key": key})["Location"] == url(
        "availability-upload", spring
    )


def test_upload_with_errors_shows_them_all_and_stashes_nothing(client, cora, spring, adam):
    client.force_login(cora)
    bad = (
        b"agent_email,date,start,end\n"
        b"adam@example.com,2027-04-01,09:00,17:00\n"
        b"zed@example.com,2027-03-08,9,5\n"
    )
    response = client.post(url("availability-upload", spring), {"shifts": upload("s.csv", bad)})
    html = response.content.decode()
    assert response.status_code == 400
    assert "shifts.csv:2: date 2027-04-01 is outside the programme" in html
    assert "shifts.csv:3: no one in the roster has the e-mail &#x27;zed@example.com&#x27;" in html
    assert not StashedUpload.objects.exists()
    assert not Shift.objects.exists()


def test_upload_needs_a_file(client, cora, spring):
    client.force_login(cora)
    response = client.post(url("availability-upload", spring), {})
    assert response.status_code == 400
    assert "Choose shifts.csv, availability.csv or both." in response.content.decode()


def test_confirm_applies_only_the_latest_preview_of_this_session(client, cora, spring, adam, eve):
    client.force_login(cora)
    first = client.post(url("availability-upload", spring), {"shifts": upload("s.csv", SHIFTS)})
    first_key = first.content.decode().split('name="key" value="')[1].split('"')[0]
    client.post(
        url("availability-upload", spring),
        {"availability": upload("a.csv", b"executive_email,date\neve@example.com,2027-03-08\n")},
    )
    response = client.post(url("availability-confirm", spring), {"key": first_key})
    assert response["Location"] == url("availability-upload", spring)
    assert not Shift.objects.exists()
    assert not Availability.objects.exists()


def test_another_coordinator_cannot_confirm_my_preview(client, cora, spring, adam):
    client.force_login(cora)
    html = client.post(
        url("availability-upload", spring), {"shifts": upload("s.csv", SHIFTS)}
    ).content.decode()
    key = html.split('name="key" value="')[1].split('"')[0]
    other = PersonFactory(email="otto@example.com", is_coordinator=True)
    client.force_login(other)
    client.post(url("availability-confirm", spring), {"key": key})
    assert not Shift.objects.exists()


def test_pair_from_the_programme_page(
    client, cora, spring, eve, adam, django_capture_on_commit_callbacks
):
    make_shift(spring, adam, MON)
    client.force_login(cora)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("programme-pair", spring))
    assert response["Location"] == url("programme", spring)
    html = client.get(response["Location"]).content.decode()
    assert "Pairing started." in html
    assert "Paired 1 of 2 executives" in html
    assert "only_own_reports_available" in html  # Hank manages Adam
    assert "Pair again" in html
    assert spring.pairings.count() == 1


def test_the_programme_page_refreshes_while_a_run_is_under_way(client, cora, spring):
    pairing_run_start(programme=spring)
    client.force_login(cora)
    html = client.get(url("programme", spring)).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in html
    assert "<progress" in html
    response = client.post(url("programme-pair", spring), follow=True)
    assert "already under way" in response.content.decode()
