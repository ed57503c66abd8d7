"""A department's holiday calendar: the optional `country` and `subdivision` of departments.csv
(whose public holidays its working days skip), the API and the admin."""

import pytest

from shadowing.organisation.models import Department
from tests.organisation.test_roster_import import (
    DEPARTMENTS,
    PEOPLE,
    SITES,
    departments,
    errors,
    run,
)

pytestmark = pytest.mark.django_db

HEADER = "code,name,head_email,country,subdivision"


def test_departments_csv_without_the_columns_imports_as_before_and_keeps_them(db):
    assert run(departments=DEPARTMENTS, sites=SITES, people=PEOPLE).ok
    Department.objects.filter(code="CARE").update(country="CA", subdivision="QC")
    result = run(departments=DEPARTMENTS)
    assert result.ok, errors(result)
    assert Department.objects.values_list("country", "subdivision").get(code="CARE") == (
        "CA",
        "QC",
    )


def test_departments_csv_with_country_and_subdivision(db):
    result = run(
        departments=departments(
            "CARE,Customer Care,,ca,qc", "FIN,Finance,,CA,CA-ON", "HQ,Head office,,,", header=HEADER
        )
    )
    assert result.ok, errors(result)
    assert dict(Department.objects.values_list("code", "subdivision")) == {
        "CARE": "QC",
        "FIN": "ON",
        "HQ": "",
    }
    again = run(
        departments=departments(
            "CARE,Customer Care,,CA,QC", "FIN,Finance,,CA,AB", "HQ,Head office,,,", header=HEADER
        )
    )
    assert again.ok, errors(again)
    assert Department.objects.get(code="FIN").subdivision == "AB"
    assert again.counts["departments"].unchanged == 2


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("X1,X,,ZZ,", "departments.csv:2: country 'ZZ' is not an ISO 3166-1 code"),
        ("X1,X,,CA,XX", "departments.csv:2: subdivision 'XX' is not one of CA: AB, BC"),
        ("X1,X,,,QC", "departments.csv:2: subdivision 'QC' needs a country"),
    ],
    ids=["country", "subdivision", "subdivision-without-country"],
)
def test_a_bad_holiday_calendar_names_file_line_and_column(row, message):
    result = run(departments=departments(row, header=HEADER))
    assert len(errors(result)) == 1
    assert errors(result)[0].startswith(message)
    assert not Department.objects.exists()


def test_the_departments_api_shows_and_accepts_the_calendar(api_as, cora, care):
    api = api_as(cora)
    response = api.patch(
        "/api/v1/departments/CARE/", {"country": "ca", "subdivision": "qc"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["country"], response.json()["subdivision"]) == ("CA", "QC")
    response = api.patch("/api/v1/departments/CARE/", {"subdivision": "QQ"}, format="json")
    assert response.status_code == 400
    assert "subdivision" in response.json()
    care.refresh_from_db()
    assert care.subdivision == "QC"


def test_the_department_admin_accepts_and_refuses_the_calendar(client, cora, care):
    client.force_login(cora)
    data = {"code": "CARE", "name": "Customer Care", "name_fr": "", "head": "", "country": "CA"}
    url = f"/admin/shadowing/department/{care.pk}/change/"
    response = client.post(url, {**data, "subdivision": "XX"})
    assert response.status_code == 200
    assert "subdivision &#x27;XX&#x27; is not one of CA" in response.content.decode()
    response = client.post(url, {**data, "subdivision": "BC"})
    assert response.status_code == 302
    care.refresh_from_db()
    assert (care.country, care.subdivision) == ("CA", "BC")
