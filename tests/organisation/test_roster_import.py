"""The roster import (CONTRACT.md, "Roster files"): every bad input refused whole, with its
FILE:LINE: message, and nothing written; good files upserted, re-imports changing nothing."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from shadowing.organisation.models import Department, Person, Site
from shadowing.organisation.roster.csvfile import MAX_FILE_BYTES, read_table
from shadowing.organisation.roster.fields import find_manager_cycles
from shadowing.organisation.roster.importer import roster_import
from shadowing.organisation.roster.iso639 import ISO_639_1

HEADERS = {
    "departments.csv": "code,name,head_email",
    "sites.csv": "code,name,region,timezone,channel,address,daily_visitor_limit",
    "people.csv": "email,full_name,title,department_code,manager_email,site_code,languages,roles",
}


def csv(*lines: str, newline: str = "\n", bom: bool = False) -> bytes:
    data = newline.join(lines) + newline
    return (b"\xef\xbb\xbf" if bom else b"") + data.encode()


def departments(*rows: str, header: str = HEADERS["departments.csv"]) -> bytes:
    return csv(header, *rows)


def sites(*rows: str, header: str = HEADERS["sites.csv"]) -> bytes:
    return csv(header, *rows)


def people(*rows: str, header: str = HEADERS["people.csv"]) -> bytes:
    return csv(header, *rows)


DEPARTMENTS = departments("CARE,Customer Care,hank@x.com", "FIN,Finance,")
SITES = sites(
    'VAN,Vancouver,West,America/Vancouver,call_centre,"1 Main St, Vancouver",3',
    "TOR,Toronto,East,America/Toronto,retail,,",
)
PEOPLE = people(
    "hank@x.com,Hank Head,Head of Care,CARE,,VAN,en,department_head;executive",
    "adam@x.com,Adam Agent,Agent,CARE,hank@x.com,VAN,en;fr,agent",
    "eve@x.com,Eve Exec,CFO,FIN,,TOR,en,executive",
)


def run(*, dry_run: bool = False, **files: bytes):
    return roster_import(
        files={f"{name}.csv": data for name, data in files.items()}, dry_run=dry_run
    )


def errors(result) -> list[str]:
    return [str(error) for error in result.errors]


def warnings(result) -> list[str]:
    return [str(warning) for warning in result.warnings]


def org_state() -> tuple:
    return (
        list(Department.objects.order_by("pk").values()),
        list(Site.objects.order_by("pk").values()),
        list(Person.objects.order_by("pk").values()),
    )


@pytest.fixture
def imported(db):
    result = run(departments=DEPARTMENTS, sites=SITES, people=PEOPLE)
    assert result.ok, errors(result)
    return result


# Good files ------------------------------------------------------------------------------------


def test_first_import_creates_departments_sites_people_heads_and_managers(imported):
    assert imported.applied
    assert imported.summary_lines() == [
        "departments: 2 created, 0 updated, 0 unchanged",
        "sites: 2 created, 0 updated, 0 unchanged",
        "people: 3 created, 0 updated, 0 unchanged",
    ]
    care = Department.objects.get(code="CARE")
    assert care.head.email == "hank@x.com"
    assert Department.objects.get(code="FIN").head is None
    van = Site.objects.get(code="VAN")
    assert (van.address, van.daily_visitor_limit, van.channel) == (
        "1 Main St, Vancouver",
        3,
        "call_centre",
    )
    assert Site.objects.get(code="TOR").daily_visitor_limit is None
    adam = Person.objects.get(email="adam@x.com")
    assert adam.manager.email == "hank@x.com"
    assert adam.languages == ["en", "fr"]
    assert adam.roles == ["agent"]
    assert (adam.department.code, adam.site.code) == ("CARE", "VAN")
    assert not adam.has_usable_password()
    assert Person.objects.get(email="hank@x.com").roles == ["executive", "department_head"]


def test_reimporting_the_same_files_changes_nothing(imported):
    before = org_state()
    result = run(departments=DEPARTMENTS, sites=SITES, people=PEOPLE)
    assert result.ok
    assert not result.changes
    assert result.summary_lines() == [
        "departments: 0 created, 0 updated, 2 unchanged",
        "sites: 0 created, 0 updated, 2 unchanged",
        "people: 0 created, 0 updated, 3 unchanged",
    ]
    assert not result.applied
    assert org_state() == before


def test_bom_crlf_and_columns_in_any_order_are_read(db):
    data = csv(
        "roles,languages,site_code,manager_email,department_code,title,full_name,email",
        "executive,en,VAN,,FIN,CFO,Eve Exec,eve@x.com",
        newline="\r\n",
        bom=True,
    )
    result = run(departments=DEPARTMENTS, sites=SITES, people=data)
    assert errors(result) == [
        "departments.csv:2: head_email 'hank@x.com' is not in people.csv nor in the roster"
    ]
    result = run(departments=departments("FIN,Finance,"), sites=SITES, people=data)
    assert result.ok, errors(result)
    eve = Person.objects.get(email="eve@x.com")
    assert (eve.full_name, eve.title, eve.department.code) == ("Eve Exec", "CFO", "FIN")


def test_header_names_ignore_case_and_spacing(db):
    header = "Code , NAME,Head Email"
    result = run(departments=departments("FIN,Finance,", header=header))
    assert result.ok, errors(result)


def test_unknown_column_is_a_warning_and_is_ignored(db):
    header = HEADERS["departments.csv"] + ",cost_centre"
    result = run(departments=departments("FIN,Finance,,4711", header=header))
    assert result.ok
    assert warnings(result) == [
        "departments.csv:1: column 'cost_centre' is not used; it is ignored"
    ]
    assert Department.objects.filter(code="FIN").exists()


def test_blank_lines_are_ignored_and_lines_are_counted_as_in_the_file(db):
    data = csv(HEADERS["departments.csv"], "", "FIN,Finance,", ",,", "   ", "BAD CODE,Bad,")
    result = run(departments=data)
    assert errors(result) == [
        "departments.csv:6: code 'BAD CODE' may only hold letters, digits, '-', '_' and '.', "
        "starting with a letter or digit"
    ]


def test_a_multiline_address_counts_its_lines(db):
    data = sites(
        'VAN,Vancouver,West,America/Vancouver,call_centre,"1 Main St\nVancouver BC",',
        "TOR,Toronto,East,Mars/Base,retail,,",
    )
    result = run(sites=data)
    assert errors(result) == [
        "sites.csv:4: 'Mars/Base' is not an IANA time zone such as America/Vancouver"
    ]


def test_update_reports_each_changed_field_and_counts(imported):
    changed = people(
        "hank@x.com,Hank Head,Head of Care,CARE,,VAN,en,department_head;executive",
        "adam@x.com,Adam Agent,Senior Agent,CARE,hank@x.com,TOR,fr;en,agent;coordinator",
        "eve@x.com,Eve Exec,CFO,FIN,,TOR,en,executive",
    )
    result = run(people=changed)
    assert result.ok
    assert result.summary_lines() == ["people: 0 created, 1 updated, 2 unchanged"]
    assert [str(change) for change in result.changes] == [
        "adam@x.com: title 'Agent' -> 'Senior Agent', site_code 'VAN' -> 'TOR', "
        "languages 'en;fr' -> 'fr;en', roles 'agent' -> 'agent;coordinator'"
    ]
    adam = Person.objects.get(email="adam@x.com")
    assert (adam.title, adam.site.code, adam.languages) == ("Senior Agent", "TOR", ["fr", "en"])
    assert adam.is_coordinator


def test_people_missing_from_the_file_are_kept(imported):
    result = run(people=people("eve@x.com,Eve Exec,CFO,FIN,,TOR,en,executive"))
    assert result.ok
    assert Person.objects.filter(email__in=["hank@x.com", "adam@x.com"]).count() == 2


def test_emails_are_compared_ignoring_case_and_stored_lower_cased(eve, finance, west_site):
    result = run(people=people("EVE@Example.COM,Eve Executive,Staff,FIN,,VAN,en;fr,executive"))
    assert result.ok, errors(result)
    assert result.summary_lines() == ["people: 0 created, 0 updated, 1 unchanged"]
    run(people=people("New.Person@Example.COM,New Person,,FIN,EVE@example.com,VAN,en,"))
    new = Person.objects.get(email="new.person@example.com")
    assert new.manager == eve


def test_dry_run_reports_the_changes_and_writes_nothing(db):
    result = run(departments=DEPARTMENTS, sites=SITES, people=PEOPLE, dry_run=True)
    assert result.ok
    assert not result.applied
    assert result.counts["people"].created == 3
    assert "adam@x.com: new" in [str(change) for change in result.changes]
    assert org_state() == ([], [], [])


def test_a_manager_may_come_later_in_the_file_or_from_the_database(hank, care, west_site):
    data = people(
        "adam@x.com,Adam Agent,,CARE,bob@x.com,VAN,en,agent",
        "bob@x.com,Bob Boss,,CARE,hank@example.com,VAN,en,",
    )
    result = run(people=data)
    assert result.ok, errors(result)
    assert Person.objects.get(email="adam@x.com").manager.email == "bob@x.com"
    assert Person.objects.get(email="bob@x.com").manager == hank


def test_head_email_may_be_empty_and_heads_are_set_after_people(db):
    result = run(departments=departments("CARE,Customer Care,"), sites=SITES)
    assert result.ok
    result = run(departments=DEPARTMENTS, people=PEOPLE)
    assert result.ok, errors(result)
    assert Department.objects.get(code="CARE").head.email == "hank@x.com"
    assert "CARE: head_email '' -> 'hank@x.com'" in [str(c) for c in result.changes]


def test_departments_without_a_head_column_keep_their_heads(imported):
    result = run(departments=departments("CARE,Customer Care Centre", header="code,name"))
    assert result.ok
    assert Department.objects.get(code="CARE").head.email == "hank@x.com"


def test_clearing_a_head_is_a_warning(imported):
    result = run(departments=departments("CARE,Customer Care,", "FIN,Finance,"))
    assert result.ok
    assert warnings(result) == ["departments.csv:2: CARE will have no head (it was hank@x.com)"]
    assert Department.objects.get(code="CARE").head is None


def test_a_coordinator_losing_the_role_is_warned(cora):
    result = run(people=people("cora@example.com,Cora Coordinator,,CARE,,VAN,en,executive"))
    assert result.ok
    assert warnings(result) == ["people.csv:2: cora@example.com loses role coordinator"]


# Bad files: refused whole, each error where it is ------------------------------------------------

P = HEADERS["people.csv"]


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param(
            {"people": people("not-an-email,X,,CARE,,VAN,en,")},
            ["people.csv:2: email 'not-an-email' is not a valid e-mail address"],
            id="email-syntax",
        ),
        pytest.param(
            {"people": people("x@x.com,X,,NOPE,,VAN,en,")},
            ["people.csv:2: unknown department 'NOPE': not in departments.csv nor in the roster"],
            id="unknown-department",
        ),
        pytest.param(
            {"people": people("x@x.com,X,,care,,VAN,en,")},
            [
                "people.csv:2: unknown department 'care': not in departments.csv nor in the "
                "roster (did you mean 'CARE'?)"
            ],
            id="department-case",
        ),
        pytest.param(
            {"people": people("x@x.com,X,,CARE,,NOPE,en,")},
            ["people.csv:2: unknown site 'NOPE': not in sites.csv nor in the roster"],
            id="unknown-site",
        ),
        pytest.param(
            {"people": people("x@x.com,X,,CARE,ghost@x.com,VAN,en,")},
            ["people.csv:2: unknown manager 'ghost@x.com': not in people.csv nor in the roster"],
            id="unknown-manager",
        ),
        pytest.param(
            {
                "people": people(
                    "a@x.com,A,,CARE,b@x.com,VAN,en,",
                    "b@x.com,B,,CARE,c@x.com,VAN,en,",
                    "c@x.com,C,,CARE,a@x.com,VAN,en,",
                    "d@x.com,D,,CARE,a@x.com,VAN,en,",
                )
            },
            [
                "people.csv:2: manager cycle: a@x.com -> b@x.com -> c@x.com -> a@x.com",
                "people.csv:3: manager cycle: b@x.com -> c@x.com -> a@x.com -> b@x.com",
                "people.csv:4: manager cycle: c@x.com -> a@x.com -> b@x.com -> c@x.com",
            ],
            id="manager-cycle",
        ),
        pytest.param(
            {"people": people("a@x.com,A,,CARE,A@X.com,VAN,en,")},
            ["people.csv:2: a@x.com is their own manager"],
            id="own-manager",
        ),
        pytest.param(
            {"people": people("a@x.com,A,,CARE,,VAN,en,", "A@X.COM,A again,,CARE,,VAN,en,")},
            ["people.csv:3: email 'a@x.com' is already on line 2"],
            id="duplicate-email-ignoring-case",
        ),
        pytest.param(
            {"departments": departments("OPS,Operations,", "OPS,Ops again,")},
            ["departments.csv:3: code 'OPS' is already on line 2"],
            id="duplicate-department-code",
        ),
        pytest.param(
            {"departments": departments("OPS,Operations,", "ops,Ops again,")},
            ["departments.csv:3: code 'ops' is already on line 2 (ignoring case: OPS)"],
            id="duplicate-code-ignoring-case",
        ),
        pytest.param(
            {
                "sites": sites(
                    "MTL,Montréal,East,America/Toronto,retail,,",
                    "MTL,Montreal,East,America/Toronto,retail,,",
                )
            },
            ["sites.csv:3: code 'MTL' is already on line 2"],
            id="duplicate-site-code",
        ),
        pytest.param(
            {"departments": departments("care,Customer Care,")},
            [
                "departments.csv:2: code 'care' differs only by case from the existing "
                "department 'CARE'"
            ],
            id="code-differing-by-case-from-database",
        ),
        pytest.param(
            {"people": people("a@x.com,A,,CARE,,VAN,en,agent;boss")},
            [
                "people.csv:2: unknown role 'boss'; roles are executive, agent, department_head, "
                "coordinator, cx_ambassador, finance_reviewer"
            ],
            id="unknown-role",
        ),
        pytest.param(
            {"people": people("a@x.com,A,,CARE,,VAN,en;xx,agent")},
            [
                "people.csv:2: unknown language 'xx': languages are ISO 639-1 two-letter codes "
                "such as en;fr"
            ],
            id="unknown-language",
        ),
        pytest.param(
            {"people": people("a@x.com,A,,CARE,,VAN,en-CA,agent")},
            [
                "people.csv:2: unknown language 'en-ca': languages are ISO 639-1 two-letter codes "
                "such as en;fr (use the two-letter code alone, e.g. 'en' for 'en-CA')"
            ],
            id="language-with-region",
        ),
        pytest.param(
            {"people": people("a@x.com,A,,CARE,,VAN,,agent")},
            [
                "people.csv:2: languages is empty: an executive or agent needs at least one "
                "language to be paired"
            ],
            id="agent-without-language",
        ),
        pytest.param(
            {"sites": sites("X1,X,West,america/vancouver,retail,,")},
            [
                "sites.csv:2: 'america/vancouver' is not an IANA time zone such as "
                "America/Vancouver (did you mean 'America/Vancouver'?)"
            ],
            id="timezone",
        ),
        pytest.param(
            {"sites": sites("X1,X,West,America/Vancouver,kiosk,,")},
            [
                "sites.csv:2: unknown channel 'kiosk'; channels are call_centre, retail, field, "
                "digital"
            ],
            id="channel",
        ),
        *[
            pytest.param(
                {"sites": sites(f"X1,X,West,America/Vancouver,retail,,{limit}")},
                [
                    f"sites.csv:2: daily_visitor_limit '{limit}' is not a whole number of at "
                    "least 1 (leave it empty for no limit)"
                ],
                id=f"visitor-limit-{limit}",
            )
            for limit in ("0", "-1", "2.5", "three", "99999999999", "²")
        ],
        pytest.param(
            {"departments": departments("FIN,Finance,adam@example.com")},
            [
                "departments.csv:2: adam@example.com cannot head FIN: they need role "
                "department_head and department FIN (their department is 'CARE')"
            ],
            id="head-not-a-head",
        ),
        pytest.param(
            {"departments": departments("FIN,Finance,hank@example.com")},
            [
                "departments.csv:2: hank@example.com cannot head FIN: they are in department "
                "'CARE', not FIN"
            ],
            id="head-of-another-department",
        ),
        pytest.param(
            {"departments": departments("FIN,Finance,nobody@example.com"), "people": None},
            [
                "departments.csv:2: head_email 'nobody@example.com' is not in the roster (import "
                "people.csv with them, in this import or before)"
            ],
            id="head-unknown-departments-alone",
        ),
        pytest.param(
            {
                "departments": departments("FIN,Finance,new@x.com"),
                "people": people("new@x.com,New,,FIN,,VAN,en,executive"),
            },
            ["departments.csv:2: new@x.com cannot head FIN: they do not have role department_head"],
            id="head-from-people-file-without-role",
        ),
        pytest.param(
            {"people": people("hank@example.com,Hank Head,,CARE,,VAN,en,executive")},
            [
                "people.csv:2: hank@example.com cannot head CARE: they do not have role "
                "department_head; they head CARE now: name another head in departments.csv in "
                "the same import"
            ],
            id="current-head-demoted",
        ),
        pytest.param(
            {"people": people(header="email,full_name,title,department_code,site_code,languages")},
            [
                "people.csv:1: missing column(s): manager_email, roles (the header must name "
                "email, full_name, title, department_code, manager_email, site_code, languages, "
                "roles)"
            ],
            id="missing-columns",
        ),
        pytest.param(
            {"departments": departments("OPS,Ops,", header="code,name,name")},
            ["departments.csv:1: column 'name' appears twice"],
            id="duplicate-column",
        ),
        pytest.param(
            {"people": b""},
            [
                "people.csv:1: the file is empty; it needs a header row with the columns email, "
                "full_name, title, department_code, manager_email, site_code, languages, roles"
            ],
            id="empty-file",
        ),
        pytest.param(
            {"people": b"\xef\xbb\xbf\r\n\r\n"},
            [
                "people.csv:1: the file is empty; it needs a header row with the columns email, "
                "full_name, title, department_code, manager_email, site_code, languages, roles"
            ],
            id="bom-and-blank-lines-only",
        ),
        pytest.param(
            {
                "people": people("a@x.com,Ann,,CARE,,VAN,en,", "b@x.com,Zoë,,CARE,,VAN,en,")
                .decode()
                .encode("latin-1")
            },
            [
                "people.csv:3: this line is not UTF-8 (byte 0xEB at character 11): save the file "
                "as 'CSV UTF-8' and retry"
            ],
            id="latin-1",
        ),
        pytest.param(
            {"people": "email,full_name".encode("utf-16")},
            ["people.csv:1: the file is UTF-16, not UTF-8: save it as 'CSV UTF-8' and retry"],
            id="utf-16",
        ),
        pytest.param(
            {"people": b"PK\x03\x04\x14\x00\x06\x00"},
            [
                "people.csv:1: this is a spreadsheet workbook, not CSV text: save it as "
                "'CSV UTF-8' and retry"
            ],
            id="xlsx",
        ),
        pytest.param(
            {"people": people("a@x.com," + "A" * 201 + ",,CARE,,VAN,en,")},
            ["people.csv:2: full_name is 201 characters long; at most 200 fit"],
            id="cell-too-long",
        ),
        pytest.param(
            {"departments": departments("ABCDEFGHIJKLMNOPQRSTU,Too long a code,")},
            [
                "departments.csv:2: code 'ABCDEFGHIJKLMNOPQRSTU' is 21 characters long; at most "
                "20 fit"
            ],
            id="code-too-long",
        ),
        pytest.param(
            {"people": people("a@x.com,  ,,CARE,,VAN,en,", ",B,,CARE,,VAN,en,")},
            ["people.csv:2: full_name is required", "people.csv:3: email is required"],
            id="required-cells",
        ),
        pytest.param(
            {"sites": sites("X1,,,,,,")},
            [
                "sites.csv:2: name is required",
                "sites.csv:2: region is required",
                "sites.csv:2: timezone is required",
                "sites.csv:2: channel is required",
            ],
            id="required-site-cells",
        ),
        pytest.param(
            {"people": people("a@x.com,A\x00B,,CARE,,VAN,en,")},
            ["people.csv:2: full_name contains a control character (U+0000)"],
            id="nul-byte",
        ),
        pytest.param(
            {
                "people": people(
                    "a@x.com,A,,CARE,,VAN,en,", 'b@x.com,"B,,CARE,,VAN,en,', "c@x.com,C"
                )
            },
            ['people.csv:3: a quoted cell starting on this line is never closed (a " is missing)'],
            id="quote-never-closed",
        ),
        pytest.param(
            {"people": people('a@x.com,"A"x,,CARE,,VAN,en,')},
            [
                'people.csv:2: a quote (") inside a quoted cell must be doubled (""); this row '
                "cannot be read"
            ],
            id="stray-quote",
        ),
        pytest.param(
            {"people": people("a@x.com,A,,CARE,,VAN,en,", P, "b@x.com,B,,CARE,,VAN,en,")},
            ["people.csv:3: the header row is repeated here"],
            id="header-repeated",
        ),
        pytest.param(
            {"people": people('a@x.com,"=HYPERLINK(""http://evil"")",,CARE,,VAN,en,')},
            [
                "people.csv:2: full_name '=HYPERLINK(\"http://evil\")' starts with '=' like a "
                "spreadsheet formula; remove that character (such cells run as formulas when the "
                "data is opened in a spreadsheet)"
            ],
            id="formula",
        ),
        pytest.param(
            {"people": people("a@x.com,A,,CARE,,VAN,en,,surplus")},
            ["people.csv:2: this row has 9 cells but the header has 8 columns"],
            id="more-cells-than-header",
        ),
        pytest.param(
            {"people": people("a@x.com,A,,CARE,,VAN")},
            ["people.csv:2: this row has 6 cells but the header has 8 columns"],
            id="fewer-cells-than-header",
        ),
        pytest.param(
            {"people": b"x" * (MAX_FILE_BYTES + 1)},
            ["people.csv:1: the file is larger than 20 MB, the most one import reads"],
            id="huge-file",
        ),
        pytest.param(
            {"people": people('a@x.com,"' + "x" * 140_000 + '",,CARE,,VAN,en,')},
            [
                "people.csv:2: a cell starting on this line is longer than 131072 characters: "
                'is a closing quote (") missing?'
            ],
            id="giant-cell",
        ),
    ],
)
def test_bad_input_is_refused_whole_with_its_file_and_line(files, expected, adam, hank):
    before = org_state()
    good = {"departments": departments("OK1,Fine,"), "people": people("ok@x.com,Ok,,CARE,,VAN,en,")}
    result = run(**{k: v for k, v in {**good, **files}.items() if v is not None})
    assert errors(result) == expected
    assert not result.applied
    assert org_state() == before


def test_every_error_of_every_file_is_reported_in_one_run(db):
    result = run(
        departments=departments("OPS,,", "OPS,Again,"),
        sites=sites("S1,S,West,Nowhere/City,retail,,0"),
        people=people("bad,A,,OPS,,S1,en,", "b@x.com,B,,OPS,,S1,zz,chief"),
    )
    assert errors(result) == [
        "departments.csv:2: name is required",
        "departments.csv:3: code 'OPS' is already on line 2",
        "sites.csv:2: 'Nowhere/City' is not an IANA time zone such as America/Vancouver",
        "sites.csv:2: daily_visitor_limit '0' is not a whole number of at least 1 (leave it empty "
        "for no limit)",
        "people.csv:2: email 'bad' is not a valid e-mail address",
        "people.csv:3: unknown language 'zz': languages are ISO 639-1 two-letter codes such as "
        "en;fr",
        "people.csv:3: unknown role 'chief'; roles are executive, agent, department_head, "
        "coordinator, cx_ambassador, finance_reviewer",
    ]
    assert org_state() == ([], [], [])


def test_a_bad_row_does_not_make_its_person_an_unknown_manager(db):
    result = run(
        departments=DEPARTMENTS,
        sites=SITES,
        people=people(
            "boss@x.com,Boss,,CARE,,VAN,xx,",
            "a@x.com,A,,CARE,boss@x.com,VAN,en,agent",
        ),
    )
    assert [e.line for e in result.errors if e.file == "people.csv"] == [2]


def test_a_cycle_through_the_database_is_refused(care, west_site):
    a = Person.objects.create_user("a@x.com", "A", department=care, site=west_site)
    Person.objects.create_user("b@x.com", "B", department=care, site=west_site, manager=a)
    result = run(people=people("a@x.com,A,,CARE,b@x.com,VAN,en,"))
    assert errors(result) == ["people.csv:2: manager cycle: a@x.com -> b@x.com -> a@x.com"]


def test_a_long_ring_of_managers_is_found_in_linear_time():
    ring = {f"p{i}": f"p{(i + 1) % 50_000}" for i in range(50_000)}
    cycles = find_manager_cycles(ring, ring.get)
    assert len(cycles) == 1
    assert len(cycles[0]) == 50_000


def test_a_rename_that_clashes_with_a_concurrent_writer_is_reported_not_raised(db, monkeypatch):
    from django.db import IntegrityError

    from shadowing.organisation.roster import importer

    def clash(*args, **kwargs):
        raise IntegrityError("UNIQUE constraint failed: shadowing_person.email")

    monkeypatch.setattr(importer, "apply_plans", clash)
    result = run(departments=departments("CARE,Customer Care,"))
    assert not result.ok
    assert "the roster changed while this import ran" in errors(result)[0]
    assert org_state() == ([], [], [])


def test_no_files_is_an_error_and_unknown_names_a_programming_error(db):
    assert errors(roster_import(files={})) == [
        "nothing to import: give departments.csv, sites.csv or people.csv"
    ]
    with pytest.raises(ValueError, match=r"shifts\.csv"):
        roster_import(files={"shifts.csv": b""})


def test_header_only_file_is_a_warning(db):
    result = run(people=people())
    assert result.ok
    assert warnings(result) == ["people.csv:1: the file has a header but no rows"]


def test_the_language_list_is_the_full_iso_639_1_list():
    assert len(ISO_639_1) == 184
    assert {"en", "fr", "zh", "yo", "bh"} <= ISO_639_1
    assert not {"xx", "iw", "in", "mo"} & ISO_639_1


def test_read_table_never_raises_on_random_bytes():
    import random

    rng = random.Random(7)
    for _ in range(300):
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(200)))
        read_table("people.csv", data, required=("email",))


def test_import_queries_do_not_grow_with_the_files(db, django_assert_max_num_queries):
    def roster(count: int) -> bytes:
        rows = ["boss@x.com,Boss,,CARE,,VAN,en,executive"]
        rows += [f"p{i}@x.com,P {i},,CARE,boss@x.com,VAN,en,agent" for i in range(count)]
        return people(*rows)

    with django_assert_max_num_queries(20):
        assert run(
            departments=DEPARTMENTS.replace(b"hank@x.com", b""), sites=SITES, people=roster(5)
        ).ok
    with django_assert_max_num_queries(20):
        result = run(people=roster(300).replace(b",agent\n", b",agent;executive\n"))
        assert result.ok
        assert result.counts["people"].created == 295
        assert result.counts["people"].updated == 5


# The command ---------------------------------------------------------------------------------


def write_files(folder: Path, **files: bytes) -> Path:
    for name, data in files.items():
        (folder / f"{name}.csv").write_bytes(data)
    return folder


def test_command_imports_and_prints_a_summary(tmp_path, capsys, db):
    write_files(tmp_path, departments=DEPARTMENTS, sites=SITES, people=PEOPLE)
    (tmp_path / "shifts.csv").write_text("agent_email,date,start,end\n")
    call_command("import_roster", str(tmp_path))
    out = capsys.readouterr().out
    assert "people: 3 created, 0 updated, 0 unchanged" in out
    assert "shifts.csv: ignored" in out
    assert Person.objects.count() == 3


def test_command_dry_run_lists_changes_and_writes_nothing(tmp_path, capsys, db):
    write_files(tmp_path, departments=departments("CARE,Customer Care,"))
    call_command("import_roster", str(tmp_path), "--dry-run")
    out = capsys.readouterr().out
    assert "CARE: new" in out
    assert "dry run: nothing was written" in out
    assert not Department.objects.exists()


def test_command_refuses_bad_files_with_every_error(tmp_path, capsys, db):
    write_files(
        tmp_path,
        departments=departments("OPS,Ops,", header="code,name,colour"),
        people=people("a@x.com,A,,OPS,,NOPE,en,", "b@x.com,B,,OPS,,NOPE,xx,"),
    )
    with pytest.raises(CommandError) as refused:
        call_command("import_roster", str(tmp_path))
    lines = str(refused.value).splitlines()
    assert lines == [
        "the import was refused, nothing was written (3 errors):",
        "people.csv:2: unknown site 'NOPE': not in sites.csv nor in the roster",
        "people.csv:3: unknown language 'xx': languages are ISO 639-1 two-letter codes such as "
        "en;fr",
        "people.csv:3: unknown site 'NOPE': not in sites.csv nor in the roster",
    ]
    assert "warning: departments.csv:1: column 'colour' is not used" in capsys.readouterr().out
    assert not Department.objects.exists()


def test_command_names_a_missing_or_empty_folder(tmp_path, db):
    with pytest.raises(CommandError, match="no such folder"):
        call_command("import_roster", str(tmp_path / "nope"))
    (tmp_path / "people.csv").write_bytes(PEOPLE)
    with pytest.raises(CommandError, match="is a file, not a folder"):
        call_command("import_roster", str(tmp_path / "people.csv"))
    (tmp_path / "people.csv").unlink()
    with pytest.raises(CommandError, match="holds none of departments"):
        call_command("import_roster", str(tmp_path))


def test_command_exits_non_zero_without_a_traceback(tmp_path):
    """As a coordinator runs it: a real process, its own database."""
    (tmp_path / "roster").mkdir()
    roster = write_files(tmp_path / "roster", people=b"email,full_name\n\xff\xfe")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "DEBUG": "true"}
    env.pop("TESTING", None)
    manage = [sys.executable, "manage.py"]
    cwd = Path(__file__).resolve().parents[2]
    subprocess.run([*manage, "migrate", "-v", "0"], env=env, cwd=cwd, check=True, timeout=120)
    done = subprocess.run(
        [*manage, "import_roster", str(roster)],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert "people.csv:2: this line is not UTF-8" in done.stderr
