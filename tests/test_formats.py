"""One way to write dates, times and numbers per language (config/formats/), department names
in the reader's language, and French typography in every mail."""

import datetime as dt

import pytest
from django.core.paginator import Paginator
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import date_format, number_format, time_format

from shadowing.organisation.models import Department
from shadowing.organisation.roster.importer import roster_import

DAY = dt.datetime(2026, 12, 14, 9, 5)
NBSP = "\xa0"


@pytest.mark.parametrize(
    ("language", "fmt", "expected"),
    [
        ("en", "DATE_FORMAT", "December 14, 2026"),
        ("en", "SHORT_DATE_FORMAT", "Dec 14, 2026"),
        ("en", "DATETIME_FORMAT", "December 14, 2026, 09:05"),
        ("en", "DAY_FORMAT", "Monday, December 14, 2026"),
        ("en", "SHORT_DAY_FORMAT", "Mon, Dec 14, 2026"),
        ("fr-ca", "DATE_FORMAT", "14 décembre 2026"),
        ("fr-ca", "SHORT_DATE_FORMAT", "14 déc. 2026"),
        ("fr-ca", "DATETIME_FORMAT", f"14 décembre 2026 à 9{NBSP}h{NBSP}05"),
        ("fr-ca", "DAY_FORMAT", "lundi 14 décembre 2026"),
        ("fr-ca", "SHORT_DAY_FORMAT", "lun. 14 déc. 2026"),
    ],
)
def test_each_language_has_one_date_format(language, fmt, expected):
    with translation.override(language):
        assert date_format(DAY, fmt) == expected


@pytest.mark.parametrize(("language", "expected"), [("en", "09:05"), ("fr-ca", "9\xa0h\xa005")])
def test_times_never_end_in_a_full_stop_that_doubles_at_the_end_of_a_sentence(language, expected):
    with translation.override(language):
        text = Template('Draft saved at {{ t|time:"TIME_FORMAT" }}.').render(
            Context({"t": DAY.time()})
        )
        assert time_format(DAY.time(), "TIME_FORMAT") == expected
    assert text.endswith(f"{expected}.")
    assert ".." not in text


@pytest.mark.parametrize(
    ("language", "expected"), [("en", "1,234,567"), ("fr-ca", "1\xa0234\xa0567")]
)
def test_numbers_are_grouped_in_pages(language, expected):
    with translation.override(language):
        assert Template("{{ n }}").render(Context({"n": 1234567})) == expected
        assert number_format(1234567) == expected


@pytest.mark.parametrize("language", ["en", "fr-ca"])
def test_identifiers_in_links_and_forms_are_not_grouped(language):
    """An id of 1234 stays 1234 in a form value or a link; grouping it would break both."""
    page = Template('{% include "barriers/_pagination.html" %}')
    paginator = Paginator(range(3000), 1)
    with translation.override(language):
        html = page.render(Context({"page": paginator.page(1500), "query": ""}))
    assert 'href="?page=1499"' in html
    assert 'href="?page=1501"' in html


# Department names ----------------------------------------------------------------------------


def _departments(text: str) -> dict:
    return {"departments.csv": text.encode()}


@pytest.mark.django_db
def test_departments_csv_takes_an_optional_french_name_and_a_file_without_it_keeps_it():
    result = roster_import(
        files=_departments("code,name,name_fr\nCARE,Customer Care,Service à la clientèle\n")
    )
    assert not result.errors
    care = Department.objects.get(code="CARE")
    assert care.name_fr == "Service à la clientèle"

    # The same file without the column, as before this column existed: the French name stays.
    result = roster_import(files=_departments("code,name\nCARE,Client Care\n"))
    assert not result.errors
    care.refresh_from_db()
    assert (care.name, care.name_fr) == ("Client Care", "Service à la clientèle")


@pytest.mark.django_db
def test_a_bad_french_name_is_refused_with_its_line_and_nothing_is_written():
    result = roster_import(files=_departments(f"code,name,name_fr\nCARE,Care,{'x' * 201}\n"))
    assert any("departments.csv:2:" in str(e) and "name_fr" in str(e) for e in result.errors)
    assert not Department.objects.exists()


@pytest.mark.django_db
def test_a_department_is_named_in_the_readers_language():
    care = Department.objects.create(code="CARE", name="Customer Care", name_fr="Service client")
    plain = Department.objects.create(code="FIN", name="Finance")
    with translation.override("fr-ca"):
        assert care.display_name == "Service client"
        assert str(care) == "Service client (CARE)"
        assert plain.display_name == "Finance"  # no French name: the name
        assert dict(Department.objects.named()) == {"CARE": "Service client", "FIN": "Finance"}
    with translation.override("en"):
        assert care.display_name == "Customer Care"


def test_the_departments_api_carries_the_french_name(api_as, cora, care):
    response = api_as(cora).patch(
        "/api/v1/departments/CARE/", {"name_fr": "Service à la clientèle"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["name_fr"] == "Service à la clientèle"
    bad = api_as(cora).patch("/api/v1/departments/CARE/", {"name_fr": "=1+2"}, format="json")
    assert bad.status_code == 400
    assert "name_fr" in bad.json()


@pytest.mark.parametrize(("language", "expected"), [("en", "Customer Care"), ("fr-ca", "Soins")])
def test_the_profile_names_the_department_in_the_readers_language(
    client, adam, care, language, expected
):
    care.name_fr = "Soins"
    care.save()
    adam.ui_language = language
    adam.save()
    client.force_login(adam)
    html = client.get("/profile/").content.decode()
    assert f"<dd>{expected}</dd>" in html
