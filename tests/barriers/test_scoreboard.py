"""The department scoreboard as a sortable table (`?sort=-open`), on the page and in the API:
the order, `aria-sort` and the header links, a 400 naming an unknown column, departments with
nothing on their backlog as one line, and a query count that does not grow."""

import re

import pytest

from barriers.services.claims import barrier_claim
from shadowing import clock
from tests.barriers.conftest import file_report, item_of
from tests.factories import DepartmentFactory

PAGE = "/backlog/scoreboard/"
API = "/api/v1/barriers/scoreboard/"


@pytest.fixture
def as_(client):
    def sign_in(person):
        client.force_login(person)
        return client

    return sign_in


@pytest.fixture
def board(visit, hank, billing, bill, finance):
    """CARE: one claimed and one new item; BILL: three new; FIN: nothing."""
    claimed = item_of(file_report(visit, title="Refunds need a supervisor"))
    file_report(visit, title="Two systems for one address change")
    for n in range(3):
        file_report(visit, title=f"Billing barrier {n}", department="BILL")
    barrier_claim(barrier=claimed, by=hank, due=clock.local_today(), first_step="Ask IT")


def order(html: str) -> list[str]:
    """The departments' codes in the table's order."""
    return re.findall(r'<th scope="row"><a [^>]*>[^<]*</a> <span class="muted">\((\w+)\)', html)


def header(html: str, label: str) -> str:
    match = re.search(rf'<th scope="col"[^>]*><a href="([^"]*)">{label}[<]', html)
    assert match, label
    return match.group(0)


def test_the_scoreboard_is_a_table_with_most_open_first_by_default(as_, nina, board):
    response = as_(nina).get(PAGE)
    html = response.content.decode()
    assert response.status_code == 200
    assert order(html) == ["BILL", "CARE"]
    assert 'aria-sort="descending"' in header(html, "Open")
    assert 'href="?sort=open"' in header(html, "Open")  # again: the other way round
    assert "aria-sort" not in header(html, "Department")
    assert 'href="?sort=department"' in header(html, "Department")
    assert 'href="?sort=-new"' in header(html, "New")  # figures: most first on a first click
    assert html.count("aria-sort=") == 1
    assert '<td data-label="Head">Bill Head</td>' in html


@pytest.mark.parametrize(
    ("sort", "expected", "label", "aria"),
    [
        ("department", ["BILL", "CARE"], "Department", "ascending"),
        ("-department", ["CARE", "BILL"], "Department", "descending"),
        ("new", ["CARE", "BILL"], "New", "ascending"),
        ("-claimed", ["CARE", "BILL"], "Claimed", "descending"),
        ("head", ["BILL", "CARE"], "Head", "ascending"),
        # No claim in BILL: no median, last whichever way the column is sorted.
        ("days_to_claim", ["CARE", "BILL"], "Median days to claim", "ascending"),
        ("-days_to_claim", ["CARE", "BILL"], "Median days to claim", "descending"),
    ],
)
def test_sort_by_any_column(as_, nina, board, sort, expected, label, aria):
    html = as_(nina).get(PAGE, {"sort": sort}).content.decode()
    assert order(html) == expected
    assert f'aria-sort="{aria}"' in header(html, label)
    assert f'<option value="{sort}" selected>' in html  # the phone's "Sort by" agrees


def test_an_unknown_sort_column_is_a_400_that_names_it(as_, nina, board):
    response = as_(nina).get(PAGE, {"sort": "-budget"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "The scoreboard has no column “-budget” to sort by" in html
    assert order(html) == ["BILL", "CARE"]  # the page still works, sorted as by default


def test_departments_with_nothing_are_one_muted_line_not_a_row_of_zeros(as_, nina, board):
    DepartmentFactory(code="LEGAL", name="Legal")
    html = as_(nina).get(PAGE).content.decode()
    assert "FIN" not in order(html)
    line = re.search(r'<p class="muted nothing-line">([^<]*)</p>', html)
    assert line
    assert line.group(1) == "Nothing on their backlogs: Finance (FIN), Legal (LEGAL)"


def test_figures_are_grouped_in_the_pages_language(as_, nina, board, monkeypatch):
    from barriers import selectors

    real = selectors.scoreboard

    def big():
        return [
            row if row.code != "BILL" else selectors.ScoreRow(**{**row.__dict__, "new": 12345})
            for row in real()
        ]

    monkeypatch.setattr(selectors, "scoreboard", big)
    assert '<td class="num" data-label="New">12,345</td>' in as_(nina).get(PAGE).content.decode()
    nina.ui_language = "fr-ca"
    nina.save(update_fields=["ui_language"])
    assert "12\u00a0345</td>" in as_(nina).get(PAGE).content.decode()


def test_a_french_reader_sees_and_sorts_the_french_names(as_, nina, board, care, billing):
    care.name_fr = "Accueil de la clientèle"
    care.save(update_fields=["name_fr"])
    billing.name_fr = "Facturation"
    billing.save(update_fields=["name_fr"])
    nina.ui_language = "fr-ca"
    nina.save(update_fields=["ui_language"])
    html = as_(nina).get(PAGE, {"sort": "department"}).content.decode()
    assert order(html) == ["CARE", "BILL"]  # Accueil before Facturation (Billing before Customer)
    assert ">Accueil de la clientèle</a>" in html


def test_scoreboard_query_count_does_not_grow(as_, nina, visit, django_assert_max_num_queries):
    client = as_(nina)
    file_report(visit)
    client.get(PAGE)  # the session's first request writes it
    with django_assert_max_num_queries(30) as one:
        client.get(PAGE)
    for n in range(6):
        DepartmentFactory(code=f"D{n}")
        file_report(visit, title=f"Barrier {n}", department=f"D{n}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(PAGE)


# API --------------------------------------------------------------------------------------------


def test_api_scoreboard_sorts_as_the_page_does(api_as, nina, board):
    rows = api_as(nina).get(API).json()
    assert [row["department"] for row in rows] == ["BILL", "CARE", "FIN"]
    care = rows[1]
    assert care["head"] == "hank@example.com"
    assert care["head_name"] == "Hank Head"
    assert (care["owned"], care["new"], care["claimed"]) == (2, 1, 1)
    rows = api_as(nina).get(API, {"sort": "new"}).json()
    assert [row["department"] for row in rows] == ["FIN", "CARE", "BILL"]
    rows = api_as(nina).get(API, {"sort": "-days_to_claim"}).json()
    assert rows[0]["department"] == "CARE"


@pytest.mark.parametrize("sort", ["budget", "-", "open,new", "Open"])
def test_api_scoreboard_unknown_sort_is_a_400_naming_the_parameter(api_as, nina, board, sort):
    response = api_as(nina).get(API, {"sort": sort})
    assert response.status_code == 400
    assert "sort" in response.json()


def test_api_scoreboard_query_count_does_not_grow(
    api_as, nina, visit, django_assert_max_num_queries
):
    file_report(visit)
    with django_assert_max_num_queries(10) as one:
        assert api_as(nina).get(API).status_code == 200
    for n in range(6):
        DepartmentFactory(code=f"D{n}")
        file_report(visit, title=f"Barrier {n}", department=f"D{n}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert api_as(nina).get(API, {"sort": "-open"}).status_code == 200


def test_the_scoreboard_is_for_people_signed_in(client, api, board):
    assert client.get(PAGE).status_code == 302  # to the sign-in page
    assert api.get(API).status_code in (401, 403)
