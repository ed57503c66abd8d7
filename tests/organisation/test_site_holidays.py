"""A site's holiday calendar: the optional `country` and `subdivision` of sites.csv, the API and
the admin."""

import pytest

from shadowing.organisation.models import Site
from tests.organisation.test_roster_import import DEPARTMENTS, PEOPLE, SITES, errors, run, sites

pytestmark = pytest.mark.django_db

HEADER = "code,name,region,timezone,channel,country,subdivision"


def test_sites_csv_without_the_columns_imports_as_before_and_keeps_them(db):
    assert run(departments=DEPARTMENTS, sites=SITES, people=PEOPLE).ok
    assert set(Site.objects.values_list("country", "subdivision")) == {("", "")}
    Site.objects.filter(code="VAN").update(country="CA", subdivision="BC")
    result = run(sites=SITES)
    assert result.ok, errors(result)
    assert Site.objects.get(code="VAN").subdivision == "BC"


def test_sites_csv_with_country_and_subdivision(db):
    result = run(
        sites=sites(
            "MTL,Montréal,East,America/Toronto,call_centre,ca,qc",
            "TOR,Toronto,East,America/Toronto,retail,CA,CA-ON",
            "NYC,New York,East,America/New_York,retail,US,",
            "ANY,Nowhere,East,UTC,digital,,",
            header=HEADER,
        )
    )
    assert result.ok, errors(result)
    assert dict(Site.objects.values_list("code", "subdivision")) == {
        "MTL": "QC",
        "TOR": "ON",
        "NYC": "",
        "ANY": "",
    }
    assert Site.objects.get(code="NYC").country == "US"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "X1,X,West,UTC,retail,ZZ,",
            "sites.csv:2: country 'ZZ' is not an ISO 3166-1 code with a holiday calendar, such "
            "as CA or US (leave it empty for no public holidays)",
        ),
        (
            "X1,X,West,UTC,retail,CA,XX",
            "sites.csv:2: subdivision 'XX' is not one of CA: AB, BC, MB, NB, NL, NS, NT, NU, "
            "ON, PE, QC, SK, YT",
        ),
        ("X1,X,West,UTC,retail,,QC", "sites.csv:2: subdivision 'QC' needs a country"),
    ],
    ids=["country", "subdivision", "subdivision-without-country"],
)
def test_a_bad_holiday_calendar_names_file_line_and_column(row, message):
    result = run(sites=sites(row, header=HEADER))
    assert errors(result) == [message]
    assert not Site.objects.exists()


def test_the_sites_api_shows_and_accepts_the_calendar(api_as, cora, west_site):
    api = api_as(cora)
    response = api.patch(
        "/api/v1/sites/VAN/", {"country": "ca", "subdivision": "bc"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["country"], response.json()["subdivision"]) == ("CA", "BC")
    response = api.patch("/api/v1/sites/VAN/", {"subdivision": "QQ"}, format="json")
    assert response.status_code == 400
    assert "subdivision 'QQ' is not one of CA" in response.json()["subdivision"][0]
    response = api.patch("/api/v1/sites/VAN/", {"country": "ZZ"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"country"}
    west_site.refresh_from_db()
    assert west_site.subdivision == "BC"


def test_the_site_admin_accepts_and_refuses_the_calendar(client, west_site):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser(email="root@example.com", password="pw")
    client.force_login(admin)
    data = {
        "code": "VAN",
        "name": "Vancouver",
        "region": "West",
        "timezone": "America/Vancouver",
        "channel": "call_centre",
        "address": "",
        "daily_visitor_limit": "",
        "country": "CA",
        "subdivision": "XX",
    }
    url = f"/admin/shadowing/site/{west_site.pk}/change/"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "subdivision &#x27;XX&#x27; is not one of CA" in response.content.decode()
    response = client.post(url, {**data, "subdivision": "BC"})
    assert response.status_code == 302
    west_site.refresh_from_db()
    assert (west_site.country, west_site.subdivision) == ("CA", "BC")
