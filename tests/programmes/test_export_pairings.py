"""`export_pairings SLUG [--out FILE]`: the CONTRACT.md columns, formulas neutralised."""

import csv
import io

import pytest
from django.core.management import CommandError

from shadowing.programmes.export import neutralise
from shadowing.programmes.pairing_models import PairingStatus
from tests.factories import PersonFactory, SiteFactory
from tests.programmes.conftest import MON, TUE, make_pairing, make_shift, run

pytestmark = pytest.mark.django_db

HEADER = "executive_email,agent_email,date,start,end,site_code,status"


def test_writes_the_contract_columns_in_local_site_time(spring, eve, adam, ed, ada):
    make_shift(spring, adam, MON, "08:30", "16:30")
    make_pairing(spring, eve, adam, MON, status=PairingStatus.LOCKED)
    make_pairing(spring, ed, ada, TUE)
    out, _err = run("export_pairings", spring.slug)
    assert out.splitlines() == [
        HEADER,
        "eve@example.com,adam@example.com,2027-03-08,08:30,16:30,VAN,locked",
        "ed@example.com,ada@example.com,2027-03-09,09:00,17:00,VAN,proposed",
    ]


def test_leaves_out_cancelled_pairings(spring, eve, adam):
    make_pairing(spring, eve, adam, MON, status=PairingStatus.CANCELLED)
    out, _err = run("export_pairings", spring.slug)
    assert out.splitlines() == [HEADER]


def test_neutralises_cells_a_spreadsheet_would_run(spring, west_site):
    site = SiteFactory(code="@SUM", timezone="America/Toronto")
    executive = PersonFactory(email="=cmd|' /c calc'!a0@example.com", is_executive=True)
    agent = PersonFactory(email="-2+3@example.com", is_agent=True, site=site)
    make_pairing(spring, executive, agent, MON)
    out, _err = run("export_pairings", spring.slug)
    (row,) = list(csv.DictReader(io.StringIO(out)))
    assert row["executive_email"] == "'=cmd|' /c calc'!a0@example.com"
    assert row["agent_email"] == "'-2+3@example.com"
    assert row["site_code"] == "'@SUM"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("\0x", "'\0x"),
        ("plain", "plain"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_neutralise(cell, expected):
    assert neutralise(cell) == expected


def test_writes_to_a_file(spring, eve, adam, tmp_path):
    make_pairing(spring, eve, adam, MON)
    target = tmp_path / "pairings.csv"
    out, err = run("export_pairings", spring.slug, "--out", str(target))
    assert out == ""
    assert "Wrote 1 pairing(s)" in err
    assert target.read_text(encoding="utf-8").splitlines()[0] == HEADER


def test_unknown_programme(db):
    with pytest.raises(CommandError, match="no programme with the slug 'nope'"):
        run("export_pairings", "nope")


def test_unwritable_file(spring, tmp_path):
    with pytest.raises(CommandError, match="cannot be written"):
        run("export_pairings", spring.slug, "--out", str(tmp_path / "missing" / "x.csv"))
