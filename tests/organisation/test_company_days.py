"""The company's days off: kept by coordinators on their page, in the API, in the admin and with
`manage.py company_days`; they close visit days for pairing too."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from shadowing import clock
from shadowing.organisation.company_days import (
    company_day_add,
    company_day_remove,
    company_days_import,
)
from shadowing.organisation.models import CompanyDay
from shadowing.programmes.calendar import closed_days, closed_reason
from shadowing.programmes.models import Programme

pytestmark = pytest.mark.django_db


def soon(days=10) -> dt.date:
    return clock.local_today() + dt.timedelta(days=days)


# The service ------------------------------------------------------------------------------


def test_add_and_remove(db):
    day = company_day_add(date=soon(), name="  Holiday shutdown ")
    assert (day.date, day.name) == (soon(), "Holiday shutdown")
    company_day_remove(date=soon())
    assert not CompanyDay.objects.exists()


@pytest.mark.parametrize(
    ("date", "name", "field"),
    [(None, "x", "date"), ("2027-01-01", "x", "date"), (dt.date(2027, 1, 4), " ", "name")],
)
def test_bad_input_names_the_field_and_writes_nothing(date, name, field):
    with pytest.raises(ValidationError) as caught:
        company_day_add(date=date, name=name)
    assert field in caught.value.message_dict
    assert not CompanyDay.objects.exists()


def test_a_date_is_a_company_day_once(db):
    company_day_add(date=soon(), name="One")
    with pytest.raises(ValidationError) as caught:
        company_day_add(date=soon(), name="Two")
    assert "date" in caught.value.message_dict
    with pytest.raises(ValidationError):
        company_day_remove(date=soon(11))


def test_import_is_all_or_nothing_and_names_each_bad_line(db):
    with pytest.raises(ValidationError) as caught:
        company_days_import(
            [(2, "2027-12-24", "Shutdown"), (3, "24/12/2027", "x"), (4, "2027-12-27", "")]
        )
    assert [m.split(":")[0] for m in caught.value.messages] == ["3", "4"]
    assert not CompanyDay.objects.exists()
    rows = [(2, "2027-12-24", "Shutdown"), (3, "2027-12-31", "New Year's Eve")]
    assert len(company_days_import(rows)) == 2
    assert len(company_days_import(rows)) == 2  # again: nothing changes
    assert CompanyDay.objects.count() == 2


# Pairing: a company day closes every site ------------------------------------------------


def test_a_company_day_closes_every_site_for_pairing(west_site):
    start = soon(3)
    programme = Programme.objects.create(
        slug="p", name="P", start_date=start, end_date=start + dt.timedelta(days=6)
    )
    day = start + dt.timedelta(days=2)
    company_day_add(date=day, name="Founders' day")
    closed = closed_days(programme, [west_site])
    assert "Founders' day" in closed[(west_site.pk, day)]
    assert (west_site.pk, start) not in closed
    assert "Founders' day" in closed_reason(programme, west_site, day)
    assert closed_reason(programme, west_site, start) is None


# The page ---------------------------------------------------------------------------------

PAGE = "/company-days/"


@pytest.mark.parametrize(
    ("who", "expected"), [("cora", (200, 302, 1)), ("hank", (403, 403, 0)), ("adam", (403, 403, 0))]
)
def test_the_page_is_for_coordinators(request, client, who, expected):
    client.force_login(request.getfixturevalue(who))
    shown = client.get(PAGE).status_code
    added = client.post(PAGE, {"date": soon().isoformat(), "name": "x"}).status_code
    assert (shown, added, CompanyDay.objects.count()) == expected


def test_the_page_needs_sign_in(client):
    assert client.get(PAGE).status_code == 302


def test_a_coordinator_adds_and_removes_a_day(client, cora):
    client.force_login(cora)
    response = client.post(PAGE, {"date": soon().isoformat(), "name": "Holiday shutdown"})
    assert response.status_code == 302
    assert b"Holiday shutdown" in client.get(PAGE).content
    removed = client.post(f"{PAGE}{soon().isoformat()}/remove/")
    assert removed.status_code == 302
    assert not CompanyDay.objects.exists()
    assert client.post(f"{PAGE}not-a-date/remove/").status_code == 404


def test_the_page_shows_what_was_wrong(client, cora):
    client.force_login(cora)
    company_day_add(date=soon(), name="One")
    response = client.post(PAGE, {"date": soon().isoformat(), "name": "Two"})
    assert response.status_code == 400
    assert b"errorlist" in response.content
    assert client.post(PAGE, {"date": "soon", "name": "x"}).status_code == 400
    assert CompanyDay.objects.count() == 1


def test_the_page_works_in_french(client, cora):
    cora.ui_language = "fr-ca"
    cora.save(update_fields=["ui_language"])
    company_day_add(date=soon(), name="Congé")
    client.force_login(cora)
    response = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="fr-ca")
    assert response.status_code == 200
    assert b'id="company-days"' in response.content


@pytest.mark.parametrize("count", [1, 20])
def test_the_page_costs_the_same_queries_with_one_or_many_days(
    client, cora, count, django_assert_max_num_queries
):
    for n in range(count):
        CompanyDay.objects.create(date=soon(n + 1), name=f"Day {n}")
    client.force_login(cora)
    with django_assert_max_num_queries(8):
        assert client.get(PAGE).status_code == 200


# The API ----------------------------------------------------------------------------------

API = "/api/v1/company-days/"


@pytest.mark.parametrize(
    ("who", "expected"),
    [("cora", (200, 201, 204)), ("hank", (403, 403, 403)), ("eve", (403, 403, 403))],
)
def test_api_by_role(request, api_as, who, expected):
    CompanyDay.objects.create(date=soon(20), name="Kept")
    client = api_as(request.getfixturevalue(who))
    listed = client.get(API)
    created = client.post(API, {"date": soon().isoformat(), "name": "Shutdown"}, format="json")
    deleted = client.delete(f"{API}{soon(20).isoformat()}/")
    assert (listed.status_code, created.status_code, deleted.status_code) == expected


def test_api_needs_authentication(api):
    assert api.get(API).status_code in (401, 403)


def test_api_lists_by_date_and_filters(api_as, cora):
    for n in (5, 1, 9):
        CompanyDay.objects.create(date=soon(n), name=f"Day {n}")
    body = api_as(cora).get(API).json()
    assert [row["name"] for row in body["results"]] == ["Day 1", "Day 5", "Day 9"]
    later = api_as(cora).get(API, {"from": soon(2).isoformat(), "to": soon(6).isoformat()})
    assert [row["name"] for row in later.json()["results"]] == ["Day 5"]
    assert api_as(cora).get(API, {"from": "tuesday"}).status_code == 400


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"date": "2027-02-30", "name": "x"}, "date"),
        ({"date": "tomorrow", "name": "x"}, "date"),
        ({"name": "x"}, "date"),
        ({"date": "2027-03-01", "name": ""}, "name"),
        ({"date": "2027-03-01", "name": "x" * 201}, "name"),
        ({"date": "2027-03-01", "name": "a\x00b"}, "name"),
    ],
)
def test_api_bad_input_is_400_naming_the_field(api_as, cora, body, field):
    response = api_as(cora).post(API, body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not CompanyDay.objects.exists()


def test_api_duplicate_is_400_and_unknown_delete_is_404(api_as, cora):
    client = api_as(cora)
    assert client.post(API, {"date": "2027-03-01", "name": "x"}, format="json").status_code == 201
    again = client.post(API, {"date": "2027-03-01", "name": "y"}, format="json")
    assert again.status_code == 400
    assert "date" in again.json()
    assert client.delete(f"{API}2027-03-02/").status_code == 404
    assert client.delete(f"{API}2027-02-30/").status_code == 404


@pytest.mark.parametrize("count", [1, 25])
def test_api_list_costs_the_same_queries(api_as, cora, count, django_assert_max_num_queries):
    for n in range(count):
        CompanyDay.objects.create(date=soon(n + 1), name=f"Day {n}")
    client = api_as(cora)
    with django_assert_max_num_queries(3):
        assert client.get(API).status_code == 200


# The command ------------------------------------------------------------------------------


def run(*args) -> str:
    out = io.StringIO()
    call_command("company_days", *args, stdout=out)
    return out.getvalue()


def test_command_add_list_remove(db):
    assert "added 2027-12-24" in run("add", "2027-12-24", "Holiday shutdown")
    assert run("list") == "2027-12-24\tHoliday shutdown\n"
    assert run("list", "--from", "2027-12-25") == ""
    run("remove", "2027-12-24")
    assert not CompanyDay.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "24/12/2027", "x"), "'24/12/2027' is not a date"),
        (("add", "2027-12-24", " "), "name:"),
        (("remove", "2027-12-24"), "is not a company day off"),
        (("list", "--from", "soon"), "--from 'soon'"),
    ],
)
def test_command_bad_input_is_a_clear_error(args, message):
    with pytest.raises(CommandError) as caught:
        run(*args)
    assert message in str(caught.value)


def test_command_import_names_the_bad_line(tmp_path):
    bad = tmp_path / "days.csv"
    bad.write_text("date,name\n2027-12-24,Shutdown\n\n2027-13-01,Oops\n", encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        run("import", str(bad))
    assert f"{bad}:4:" in str(caught.value)
    assert not CompanyDay.objects.exists()
    good = tmp_path / "good.csv"
    good.write_text("\ufeffname,date\nShutdown,2027-12-24\nEve,2027-12-31\n", encoding="utf-8")
    assert "2 company days off" in run("import", str(good))
    assert run("list").count("\n") == 2


def test_command_import_refuses_a_file_without_the_columns(tmp_path):
    bad = tmp_path / "days.csv"
    bad.write_text("day,label\n2027-12-24,x\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"days\.csv:1:"):
        run("import", str(bad))
    with pytest.raises(CommandError, match=r"missing\.csv"):
        run("import", str(tmp_path / "missing.csv"))


# The admin --------------------------------------------------------------------------------


def test_the_admin_lists_and_adds_company_days(client, cora):
    client.force_login(cora)
    assert client.get("/admin/shadowing/companyday/").status_code == 200
    response = client.post(
        "/admin/shadowing/companyday/add/", {"date": "2027-12-24", "name": "Shutdown"}
    )
    assert response.status_code == 302
    assert CompanyDay.objects.get().name == "Shutdown"
