"""Waves of a series on the Django side: the store feeds the other waves' pairs to the engine
(never repeated, checked independently over generated series), hand assignment and the picker
refuse them, the channel preference, the first-time filter, history privacy, the series pages,
API and command."""

import datetime as dt
import random
from collections import defaultdict

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError
from django.urls import reverse

from shadowing.programmes.candidates import pairing_candidates
from shadowing.programmes.models import Programme, Series
from shadowing.programmes.pairing_models import Pairing, PairingStatus, UnpairedExecutive
from shadowing.programmes.pairings import pairing_assign
from shadowing.programmes.series import series_waves, wave_number
from shadowing.programmes.services import programme_update
from tests.factories import PersonFactory, SiteFactory
from tests.programmes.conftest import MON, make_pairing, make_shift, run

pytestmark = pytest.mark.django_db

SERIES = "/api/v1/series/"


def wave(series, slug, start, days=5, **extra) -> Programme:
    return Programme.objects.create(
        slug=slug,
        name=slug.title(),
        series=series,
        start_date=start,
        end_date=start + dt.timedelta(days=days - 1),
        **extra,
    )


@pytest.fixture
def acme(db):
    return Series.objects.create(slug="acme", name="Acme front line")


# Wave numbers --------------------------------------------------------------------------------


def test_wave_number_follows_start_dates_not_creation(acme):
    second = wave(acme, "second", dt.date(2027, 6, 7))
    first = wave(acme, "first", dt.date(2027, 3, 1))
    alone = Programme.objects.create(
        slug="alone", name="Alone", start_date=MON, end_date=MON + dt.timedelta(days=2)
    )
    assert [p.slug for p in series_waves(acme)] == ["first", "second"]
    assert (wave_number(first), wave_number(second), wave_number(alone)) == (1, 2, None)


# The hard rule, end to end -------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(3))
def test_generated_series_never_repeat_a_pair_checked_over_the_rows(seed, care, west_site):
    """Random rosters, four waves paired one after another; then plain Python over the
    database rows: no (executive, agent) twice within a series."""
    rng = random.Random(seed)
    series = Series.objects.create(slug=f"gen-{seed}", name="Generated")
    other = Series.objects.create(slug=f"other-{seed}", name="Another company")
    sites = [west_site, SiteFactory(code=f"W2-{seed}", region="West", channel="retail")]
    executives = [
        PersonFactory(is_executive=True, site=rng.choice(sites), department=care)
        for _ in range(rng.randint(4, 7))
    ]
    agents = [
        PersonFactory(is_agent=True, site=rng.choice(sites), department=care)
        for _ in range(rng.randint(3, 5))
    ]
    start = dt.date(2027, 1, 4)
    for n in range(4):
        programme = wave(
            series if n != 2 else other,  # a wave of another series does not count
            f"gen-{seed}-{n}",
            start + dt.timedelta(weeks=8 * n),
            days_per_executive=rng.choice([1, 2]),
        )
        for agent in agents:
            for day in programme.dates:
                if rng.random() < 0.5:
                    make_shift(programme, agent, day)
        run("pair", programme.slug)

    seen: dict[int, set[tuple[int, int]]] = defaultdict(set)
    repeats = []
    rows = Pairing.objects.exclude(status=PairingStatus.CANCELLED).values_list(
        "programme__series_id", "executive_id", "agent_id"
    )
    for series_id, executive_id, agent_id in rows:
        if (executive_id, agent_id) in seen[series_id]:
            repeats.append((series_id, executive_id, agent_id))
        seen[series_id].add((executive_id, agent_id))
    assert repeats == []
    assert sum(len(pairs) for pairs in seen.values()) > len(executives)  # it did pair


def test_the_rule_bites_and_the_unpaired_reason_says_so(acme, eve, adam):
    first = wave(acme, "first", dt.date(2027, 3, 1))
    make_pairing(first, eve, adam, dt.date(2027, 3, 1), status=PairingStatus.PUBLISHED)
    second = wave(acme, "second", dt.date(2027, 6, 7))
    make_shift(second, adam, dt.date(2027, 6, 7))
    out, _err = run("pair", second.slug)
    assert not Pairing.objects.filter(programme=second, executive=eve).exists()
    row = UnpairedExecutive.objects.get(run__programme=second, executive=eve)
    assert row.reason == "paired_in_series"
    assert row.reason in out


def test_a_cancelled_visit_of_another_wave_does_not_count(acme, eve, adam):
    first = wave(acme, "first", dt.date(2027, 3, 1))
    make_pairing(first, eve, adam, dt.date(2027, 3, 1), status=PairingStatus.CANCELLED)
    second = wave(acme, "second", dt.date(2027, 6, 7))
    make_shift(second, adam, dt.date(2027, 6, 7))
    run("pair", second.slug)
    assert Pairing.objects.filter(programme=second, executive=eve, agent=adam).exists()


def test_hand_assignment_refuses_a_pair_of_another_wave_and_no_waiver_lifts_it(
    acme, eve, adam, cora
):
    first = wave(acme, "first", dt.date(2027, 3, 1))
    make_pairing(first, eve, adam, dt.date(2027, 3, 1))
    second = wave(acme, "second", dt.date(2027, 6, 7))
    make_shift(second, adam, dt.date(2027, 6, 7))
    for waive in ((), ("series_repeat",)):
        with pytest.raises(ValidationError) as caught:
            pairing_assign(
                programme=second,
                executive=eve,
                agent=adam,
                date=dt.date(2027, 6, 7),
                by=cora,
                waive=waive,
                waiver_reason="She asked",
            )
        if not waive:
            assert "another wave of this series" in " ".join(caught.value.messages)
    assert not Pairing.objects.filter(programme=second).exists()


def test_the_picker_lists_the_series_rule_for_that_agent_only(acme, eve, adam, ada):
    first = wave(acme, "first", dt.date(2027, 3, 1))
    make_pairing(first, eve, adam, dt.date(2027, 3, 1))
    second = wave(acme, "second", dt.date(2027, 6, 7))
    make_shift(second, adam, dt.date(2027, 6, 7))
    make_shift(second, ada, dt.date(2027, 6, 7))
    found = {
        c.agent.email: c
        for c in pairing_candidates(programme=second, executive=eve, date=dt.date(2027, 6, 7))
    }
    assert found["ada@example.com"].eligible
    adam_row = found["adam@example.com"]
    assert adam_row.rules == ("series_repeat",)
    assert not adam_row.waivable
    assert "another wave of this series" in adam_row.reasons[0]


def test_joining_a_series_that_would_repeat_a_pair_is_refused_on_the_series_field(acme, eve, adam):
    first = wave(acme, "first", dt.date(2027, 3, 1))
    make_pairing(first, eve, adam, dt.date(2027, 3, 1))
    loose = Programme.objects.create(
        slug="loose", name="Loose", start_date=dt.date(2027, 6, 7), end_date=dt.date(2027, 6, 11)
    )
    make_pairing(loose, eve, adam, dt.date(2027, 6, 7))
    with pytest.raises(ValidationError) as caught:
        programme_update(programme=loose, series=acme)
    assert "series" in caught.value.message_dict
    loose.refresh_from_db()
    assert loose.series_id is None


# The channel preference ------------------------------------------------------------------------


def test_the_next_wave_prefers_a_channel_the_executive_has_not_seen(acme, eve, adam, west_site):
    store = SiteFactory(code="STORE", name="Store", region="West", channel="retail")
    clerk = PersonFactory(email="clerk@example.com", is_agent=True, site=store)
    first = wave(acme, "first", dt.date(2027, 3, 1))
    make_pairing(first, eve, adam, dt.date(2027, 3, 1))  # Vancouver: a call centre
    ada = PersonFactory(email="ada2@example.com", is_agent=True, site=west_site)
    second = wave(acme, "second", dt.date(2027, 6, 7))
    make_shift(second, ada, dt.date(2027, 6, 7))  # her home site, but a channel seen
    make_shift(second, clerk, dt.date(2027, 6, 7))
    run("pair", second.slug)
    visit = Pairing.objects.get(programme=second, executive=eve)
    assert visit.agent == clerk
    assert "new_channel:retail" in visit.reasons


# First time on the front line -----------------------------------------------------------------


@pytest.fixture
def two_waves(acme, eve, ed, adam, ada, cora):
    first = wave(acme, "first", dt.date(2027, 3, 1))
    make_pairing(first, eve, adam, dt.date(2027, 3, 1))
    second = wave(acme, "second", dt.date(2027, 6, 7))
    make_pairing(second, eve, ada, dt.date(2027, 6, 7))
    make_pairing(second, ed, adam, dt.date(2027, 6, 8))
    return first, second


def test_review_page_badges_and_filters_first_timers(client, two_waves, cora):
    _first, second = two_waves
    client.force_login(cora)
    url = reverse("shadowing:programme-pairings", kwargs={"slug": second.slug})
    everyone = client.get(url).content.decode()
    assert "Eve Executive" in everyone
    assert "Ed Executive" in everyone
    assert everyone.count("tag-first-time") == 1
    only_new = client.get(url + "?first_time=1").content.decode()
    assert "Ed Executive" in only_new
    assert "Eve Executive" not in only_new
    assert client.get(url + "?first_time=1", HTTP_ACCEPT_LANGUAGE="fr").status_code == 200


def test_pairings_api_filters_first_timers(api_as, two_waves, cora):
    api = api_as(cora)
    new = api.get("/api/v1/pairings/", {"programme": "second", "first_time": "true"}).json()
    assert [p["executive"] for p in new["results"]] == ["ed@example.com"]
    old = api.get("/api/v1/pairings/", {"programme": "second", "first_time": "false"}).json()
    assert [p["executive"] for p in old["results"]] == ["eve@example.com"]
    assert api.get("/api/v1/pairings/", {"first_time": "maybe"}).status_code == 400


def test_series_page_counts_waves_visits_and_first_timers(client, two_waves, cora, acme):
    client.force_login(cora)
    response = client.get(reverse("shadowing:series", kwargs={"slug": acme.slug}))
    assert response.status_code == 200
    waves = response.context["waves"]
    assert [(w["number"], w["visits"], w["first_time"]) for w in waves] == [(1, 1, 1), (2, 2, 1)]
    page = client.get(reverse("shadowing:programme", kwargs={"slug": "second"})).content.decode()
    assert "Wave 2 of series Acme front line" in page


def test_agents_do_not_see_series_pages(client, two_waves, adam, acme):
    client.force_login(adam)
    assert client.get(reverse("shadowing:series", kwargs={"slug": acme.slug})).status_code == 403


# History ---------------------------------------------------------------------------------------


def test_history_api_own_yes_someone_elses_no_coordinator_everyone(
    api_as, two_waves, eve, ed, cora
):
    mine = api_as(eve).get("/api/v1/people/eve@example.com/history/")
    assert mine.status_code == 200
    assert [(v["programme"], v["role"]) for v in mine.json()["results"]] == [
        ("second", "executive"),
        ("first", "executive"),
    ]
    assert api_as(ed).get("/api/v1/people/eve@example.com/history/").status_code == 403
    assert api_as(cora).get("/api/v1/people/adam@example.com/history/").json()["count"] == 2


def test_history_page_and_home_panel(client, two_waves, eve, ed, cora):
    client.force_login(eve)
    home = client.get("/").content.decode()
    assert "Your visits across waves" in home
    url = reverse("shadowing:person-history", kwargs={"pk": eve.pk})
    assert client.get(url).status_code == 200
    client.force_login(ed)
    assert client.get(url).status_code == 403
    client.force_login(cora)
    assert "Second" in client.get(url).content.decode()


# Series API and command -------------------------------------------------------------------------


def test_series_api_by_role(api_as, acme, cora, eve, adam):
    assert api_as(eve).get(SERIES).status_code == 200
    assert api_as(adam).get(SERIES).status_code == 403
    assert api_as(eve).post(SERIES, {"slug": "x", "name": "X"}).status_code == 403
    created = api_as(cora).post(SERIES, {"slug": "globex", "name": "Globex"})
    assert created.status_code == 201
    assert created.json()["waves"] == []
    renamed = api_as(cora).patch(SERIES + "globex/", {"name": "Globex Inc", "slug": "no"})
    assert renamed.json()["slug"] == "globex"
    assert renamed.json()["name"] == "Globex Inc"


def test_series_api_bad_input_names_the_field(api_as, acme, cora):
    api = api_as(cora)
    assert "slug" in api.post(SERIES, {"slug": "acme", "name": "Again"}).json()
    assert "slug" in api.post(SERIES, {"slug": "not a slug", "name": "X"}).json()
    wave(acme, "first", dt.date(2027, 3, 1))
    assert api.delete(SERIES + "acme/").status_code == 400
    assert Series.objects.filter(slug="acme").exists()


def test_programme_api_takes_a_series_slug_and_refuses_an_unknown_one(api_as, acme, cora):
    api = api_as(cora)
    body = {"slug": "w1", "name": "W1", "start_date": "2027-10-04", "end_date": "2027-10-08"}
    bad = api.post("/api/v1/programmes/", {**body, "series": "nope"})
    assert bad.status_code == 400
    assert "series" in bad.json()
    good = api.post("/api/v1/programmes/", {**body, "series": "acme"})
    assert good.status_code == 201
    assert good.json()["series"] == "acme"
    moved = api.patch("/api/v1/programmes/w1/", {"series": None}, format="json")
    assert moved.json()["series"] is None


def test_create_programme_command_with_series(acme):
    out, _err = run(
        "create_programme",
        "w9",
        "--name",
        "W9",
        "--start",
        "2027-10-04",
        "--end",
        "2027-10-08",
        "--series",
        "acme",
    )
    assert Programme.objects.get(slug="w9").series == acme
    assert "acme" in out
    with pytest.raises(CommandError, match="--series"):
        run(
            "create_programme",
            "w10",
            "--name",
            "W",
            "--start",
            "2027-10-04",
            "--end",
            "2027-10-08",
            "--series",
            "nope",
        )
    assert not Programme.objects.filter(slug="w10").exists()


def test_programme_form_sets_the_series(client, acme, cora):
    client.force_login(cora)
    response = client.post(
        reverse("shadowing:programme-create"),
        {
            "slug": "w7",
            "name": "W7",
            "start_date": "2027-10-04",
            "end_date": "2027-10-08",
            "days_per_executive": 1,
            "max_days_per_agent": 2,
            "reporting_depth": 3,
            "series": acme.pk,
        },
    )
    assert response.status_code == 302
    assert Programme.objects.get(slug="w7").series == acme
