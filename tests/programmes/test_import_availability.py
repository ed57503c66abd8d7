"""`import_availability SLUG DIR [--dry-run]`: replace semantics, FILE:LINE errors, all or
nothing."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from shadowing.programmes.models import Availability, ProgrammeStatus, Shift
from shadowing.programmes.pairing_models import Pairing, PairingStatus, RepairReason
from tests.factories import PersonFactory
from tests.programmes.conftest import AFTER_DST, MON, TUE, WED, make_pairing, make_shift, run

pytestmark = pytest.mark.django_db

SHIFTS = "agent_email,date,start,end\nadam@example.com,2027-03-08,09:00,17:00\n"
AVAILABILITY = "executive_email,date\neve@example.com,2027-03-08\n"


@pytest.fixture
def cast(cora, hank, eve, adam, ada, ed):
    return {"cora": cora, "hank": hank, "eve": eve, "adam": adam, "ada": ada, "ed": ed}


def failing(slug, folder, *extra) -> str:
    """Run an import that must fail; returns what it wrote to stderr."""
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command(
            "import_availability", slug, str(folder), *extra, stdout=StringIO(), stderr=err
        )
    return err.getvalue()


# Success ------------------------------------------------------------------------------------


def test_imports_shifts_and_availability(spring, cast, write_files):
    folder = write_files(shifts=SHIFTS, availability=AVAILABILITY)
    out, err = run("import_availability", spring.slug, str(folder))
    shift = Shift.objects.get()
    assert (shift.agent, shift.date) == (cast["adam"], MON)
    assert (shift.start_time, shift.end_time) == (dt.time(9), dt.time(17))
    assert Availability.objects.get().executive == cast["eve"]
    assert "shifts.csv: 1 added, 0 removed, 0 changed, 0 unchanged" in out
    assert "availability.csv: 1 added" in out
    assert err == ""


def test_shift_instants_are_utc_for_the_site_across_dst(spring, cast, write_files):
    folder = write_files(
        shifts="agent_email,date,start,end\n"
        "adam@example.com,2027-03-08,09:00,17:00\n"
        "adam@example.com,2027-03-15,09:00,17:00\n"
    )
    run("import_availability", spring.slug, str(folder))
    before, after = Shift.objects.order_by("date")
    assert before.starts_at == dt.datetime(2027, 3, 8, 17, 0, tzinfo=dt.UTC)  # PST, UTC-8
    assert after.starts_at == dt.datetime(2027, 3, 15, 16, 0, tzinfo=dt.UTC)  # PDT, UTC-7
    assert after.ends_at == dt.datetime(2027, 3, 16, 0, 0, tzinfo=dt.UTC)
    assert after.date == AFTER_DST


def test_bom_any_column_order_blank_lines_and_email_case(spring, cast, write_files):
    folder = write_files(
        shifts=b"\xef\xbb\xbfend,Agent_Email,date,start,notes\r\n\r\n"
        b"17:00,ADAM@Example.com,2027-03-08,09:00,hello\r\n,,,,\r\n",
        availability="date,executive_email\n\n2027-03-09, Eve@EXAMPLE.com \n",
    )
    _out, err = run("import_availability", spring.slug, str(folder))
    assert Shift.objects.get().agent == cast["adam"]
    assert Availability.objects.get().date == TUE
    assert "warning: shifts.csv:1: column 'notes' is not used; it is ignored" in err


def test_reimporting_the_same_files_changes_nothing(spring, cast, write_files):
    folder = write_files(shifts=SHIFTS, availability=AVAILABILITY)
    run("import_availability", spring.slug, str(folder))
    shift_id = Shift.objects.get().pk
    out, _err = run("import_availability", spring.slug, str(folder))
    assert "shifts.csv: 0 added, 0 removed, 0 changed, 1 unchanged" in out
    assert "availability.csv: 0 added, 0 removed, 0 changed, 1 unchanged" in out
    assert Shift.objects.get().pk == shift_id


def test_dry_run_reports_and_writes_nothing(spring, cast, write_files):
    folder = write_files(shifts=SHIFTS, availability=AVAILABILITY)
    out, _err = run("import_availability", spring.slug, str(folder), "--dry-run")
    assert "shifts.csv: 1 added" in out
    assert "Dry run: nothing was written." in out
    assert not Shift.objects.exists()
    assert not Availability.objects.exists()


# Replace semantics --------------------------------------------------------------------------


def test_an_import_replaces_the_shifts(spring, cast, write_files):
    make_shift(spring, cast["ada"], MON)
    make_shift(spring, cast["adam"], MON, "08:00", "16:00")
    folder = write_files(
        shifts="agent_email,date,start,end\n"
        "adam@example.com,2027-03-08,09:00,17:00\n"
        "adam@example.com,2027-03-09,09:00,17:00\n"
    )
    out, _err = run("import_availability", spring.slug, str(folder))
    assert "shifts.csv: 1 added, 1 removed, 1 changed, 0 unchanged" in out
    assert sorted(Shift.objects.values_list("agent__email", "date", "start_time")) == [
        ("adam@example.com", MON, dt.time(9)),
        ("adam@example.com", TUE, dt.time(9)),
    ]


def test_only_the_kinds_given_are_replaced(spring, cast, write_files):
    make_shift(spring, cast["ada"], MON)
    Availability.objects.create(programme=spring, executive=cast["ed"], date=MON)
    run("import_availability", spring.slug, str(write_files(availability=AVAILABILITY)))
    assert Shift.objects.get().agent == cast["ada"]  # no shifts.csv: shifts kept
    assert Availability.objects.get().executive == cast["eve"]  # replaced

    (write_files() / "availability.csv").unlink()
    run("import_availability", spring.slug, str(write_files(shifts=SHIFTS)))
    assert Shift.objects.get().agent == cast["adam"]
    assert Availability.objects.get().executive == cast["eve"]  # no availability.csv: kept


def test_a_header_only_file_empties_its_kind_with_a_warning(spring, cast, write_files):
    make_shift(spring, cast["ada"], MON)
    out, err = run(
        "import_availability", spring.slug, str(write_files(shifts="agent_email,date,start,end\n"))
    )
    assert not Shift.objects.exists()
    assert "shifts.csv:1: the file has a header but no rows" in err
    assert "1 removed" in out


# Pairings whose shift or date vanished -------------------------------------------------------


def test_a_pairing_whose_shift_vanished_is_flagged_not_deleted(spring, cast, write_files):
    kept = make_pairing(spring, cast["eve"], cast["adam"], MON)
    gone = make_pairing(spring, cast["ed"], cast["ada"], MON, status=PairingStatus.PUBLISHED)
    out, _err = run("import_availability", spring.slug, str(write_files(shifts=SHIFTS)))

    gone.refresh_from_db()
    assert gone.needs_repair is True
    assert gone.repair_reason == RepairReason.SHIFT_REMOVED
    assert gone.shift is None
    assert gone.status == PairingStatus.PUBLISHED
    kept.refresh_from_db()
    assert (kept.needs_repair, kept.repair_reason) == (False, "")
    assert "pairings: 1 flagged for repair" in out
    assert "flagged: ed@example.com with ada@example.com on 2027-03-08 (published)" in out
    assert Pairing.objects.count() == 2


def test_a_pairing_whose_executive_date_vanished_is_flagged(spring, cast, write_files):
    pairing = make_pairing(spring, cast["eve"], cast["adam"], TUE)
    # Eve now gives dates, and Tuesday is not among them.
    folder = write_files(
        shifts=SHIFTS.replace("2027-03-08", "2027-03-09"), availability=AVAILABILITY
    )
    run("import_availability", spring.slug, str(folder))
    pairing.refresh_from_db()
    assert pairing.needs_repair is True
    assert pairing.repair_reason == RepairReason.EXECUTIVE_UNAVAILABLE
    assert pairing.shift is not None


def test_an_executive_without_availability_rows_is_available_every_day(spring, cast, write_files):
    pairing = make_pairing(spring, cast["eve"], cast["adam"], MON)
    folder = write_files(
        shifts=SHIFTS, availability="executive_email,date\ned@example.com,2027-03-09\n"
    )
    run("import_availability", spring.slug, str(folder))
    pairing.refresh_from_db()
    assert pairing.needs_repair is False


def test_a_shift_that_comes_back_repairs_the_pairing(spring, cast, write_files):
    pairing = make_pairing(spring, cast["eve"], cast["adam"], MON)
    run("import_availability", spring.slug, str(write_files(shifts="agent_email,date,start,end\n")))
    pairing.refresh_from_db()
    assert pairing.needs_repair is True
    out, _err = run("import_availability", spring.slug, str(write_files(shifts=SHIFTS)))
    pairing.refresh_from_db()
    assert (pairing.needs_repair, pairing.repair_reason) == (False, "")
    assert pairing.shift == Shift.objects.get()
    assert "1 repaired" in out


def test_new_times_move_the_visit_and_raise_a_published_sequence(spring, cast, write_files):
    published = make_pairing(spring, cast["eve"], cast["adam"], MON, status=PairingStatus.PUBLISHED)
    proposed = make_pairing(spring, cast["ed"], cast["ada"], MON)
    uid = published.uid
    folder = write_files(
        shifts="agent_email,date,start,end\n"
        "adam@example.com,2027-03-08,10:00,18:00\n"
        "ada@example.com,2027-03-08,07:30,15:30\n"
    )
    out, _err = run("import_availability", spring.slug, str(folder))
    published.refresh_from_db()
    proposed.refresh_from_db()
    assert published.starts_at == dt.datetime(2027, 3, 8, 18, 0, tzinfo=dt.UTC)
    assert published.local_start == dt.time(10)
    assert published.sequence == 1
    assert published.uid == uid
    assert proposed.local_start == dt.time(7, 30)
    assert proposed.sequence == 0
    assert "2 retimed" in out


# Errors: FILE:LINE, all at once, nothing written ---------------------------------------------


@pytest.mark.parametrize(
    ("shifts", "expected"),
    [
        (
            "agent_email,date,start,end\nadam@example.com,2027-04-01,09:00,17:00\n",
            "shifts.csv:2: date 2027-04-01 is outside the programme (2027-03-08 to 2027-03-19)",
        ),
        (
            "agent_email,date,start,end\nadam@example.com,2027-03-07,09:00,17:00\n",
            "shifts.csv:2: date 2027-03-07 is outside the programme",
        ),
        (
            "agent_email,date,start,end\nadam@example.com,08/03/2027,09:00,17:00\n",
            "shifts.csv:2: date '08/03/2027' is not a date in the form YYYY-MM-DD",
        ),
        (
            "agent_email,date,start,end\nadam@example.com,2027-02-30,09:00,17:00\n",
            "shifts.csv:2: date '2027-02-30' is not a date in the form YYYY-MM-DD",
        ),
        (
            "agent_email,date,start,end\nadam@example.com,2027-03-08,9h,17:00\n",
            "shifts.csv:2: start '9h' is not a time in the form HH:MM",
        ),
        (
            "agent_email,date,start,end\nadam@example.com,2027-03-08,09:00,24:00\n",
            "shifts.csv:2: end '24:00' is not a time in the form HH:MM",
        ),
        (
            "agent_email,date,start,end\nadam@example.com,2027-03-08,22:00,06:00\n",
            "shifts.csv:2: end 06:00 is before start 22:00: overnight shifts are not supported",
        ),
        (
            "agent_email,date,start,end\nadam@example.com,2027-03-08,09:00,09:00\n",
            "shifts.csv:2: end 09:00 is the same as start",
        ),
        (
            "agent_email,date,start,end\neve@example.com,2027-03-08,09:00,17:00\n",
            "shifts.csv:2: eve@example.com is not an agent (roles: executive)",
        ),
        (
            "agent_email,date,start,end\nwho@example.com,2027-03-08,09:00,17:00\n",
            "shifts.csv:2: no one in the roster has the e-mail 'who@example.com'",
        ),
        (
            "agent_email,date,start,end\n,2027-03-08,09:00,17:00\n",
            "shifts.csv:2: agent_email is empty",
        ),
        (
            "agent_email,date,start,end\n"
            "adam@example.com,2027-03-08,09:00,17:00\n"
            "ADAM@example.com,2027-03-08,10:00,18:00\n",
            "shifts.csv:3: adam@example.com already has a shift on 2027-03-08 (line 2)",
        ),
        (
            "agent_email,date,start\nadam@example.com,2027-03-08,09:00\n",
            "shifts.csv:1: missing column(s): end",
        ),
        ("", "shifts.csv:1: the file is empty"),
        ("\n\n  \n", "shifts.csv:1: the file is empty"),
        (
            "agent_email,date,start,end\nadam@example.com,2027-03-08,09:00,17:00,extra\n",
            "shifts.csv:2: this row has 5 cells but the header has 4 columns",
        ),
    ],
)
def test_bad_shift_rows_are_reported_and_nothing_is_written(
    spring, cast, write_files, shifts, expected
):
    make_shift(spring, cast["ada"], WED)
    err = failing(spring.slug, write_files(shifts=shifts, availability=AVAILABILITY))
    assert expected in err
    assert list(Shift.objects.values_list("agent__email", "date")) == [("ada@example.com", WED)]
    assert not Availability.objects.exists()


@pytest.mark.parametrize(
    ("availability", "expected"),
    [
        (
            "executive_email,date\nadam@example.com,2027-03-08\n",
            "availability.csv:2: adam@example.com is not an executive (roles: agent)",
        ),
        (
            "executive_email,date\nnina@example.com,2027-03-08\n",
            "availability.csv:2: nina@example.com is not an executive (roles: none)",
        ),
        (
            "executive_email,date\neve@example.com,2027-03-20\n",
            "availability.csv:2: date 2027-03-20 is outside the programme",
        ),
        (
            "executive_email,date\neve@example.com,2027-03-08\n\neve@EXAMPLE.com,2027-03-08\n",
            "availability.csv:4: eve@example.com is already available on 2027-03-08 (line 2)",
        ),
        (
            "executive_email,day\neve@example.com,2027-03-08\n",
            "availability.csv:1: missing column(s): date",
        ),
    ],
)
def test_bad_availability_rows_are_reported_and_nothing_is_written(
    spring, cast, nina, write_files, availability, expected
):
    err = failing(spring.slug, write_files(shifts=SHIFTS, availability=availability))
    assert expected in err
    assert not Shift.objects.exists()
    assert not Availability.objects.exists()


def test_every_error_of_every_file_in_one_run(spring, cast, write_files):
    folder = write_files(
        shifts="agent_email,date,start,end\n"
        "adam@example.com,2027-03-08,09:00,17:00\n"
        "eve@example.com,2027-03-08,09:00,17:00\n"
        "adam@example.com,2027-13-01,22:00,06:00\n",
        availability="executive_email,date\nadam@example.com,2027-03-08\nghost@example.com,2027-03-09\n",
    )
    err = failing(spring.slug, folder)
    lines = [line for line in err.splitlines() if not line.startswith("warning")]
    assert lines == [
        "availability.csv:2: adam@example.com is not an executive (roles: agent)",
        "availability.csv:3: no one in the roster has the e-mail 'ghost@example.com'",
        "shifts.csv:3: eve@example.com is not an agent (roles: executive)",
        "shifts.csv:4: date '2027-13-01' is not a date in the form YYYY-MM-DD",
        "shifts.csv:4: end 06:00 is before start 22:00: overnight shifts are not supported "
        "(a visit is one calendar day)",
    ]
    assert not Shift.objects.exists()


def test_an_inactive_agent_or_one_without_a_site_is_refused(spring, cast, write_files):
    PersonFactory(email="gone@example.com", is_agent=True, is_active=False)
    PersonFactory(email="nosite@example.com", is_agent=True, site=None)
    folder = write_files(
        shifts="agent_email,date,start,end\n"
        "gone@example.com,2027-03-08,09:00,17:00\n"
        "nosite@example.com,2027-03-08,09:00,17:00\n"
    )
    err = failing(spring.slug, folder)
    assert "shifts.csv:2: gone@example.com is no longer active" in err
    assert "shifts.csv:3: nosite@example.com has no site" in err


def test_not_utf8_is_reported_with_its_line(spring, cast, write_files):
    folder = write_files(
        shifts=b"agent_email,date,start,end\nadam@example.com,2027-03-08,09:00,17:00\n"
        + "zoë@example.com,2027-03-08,09:00,17:00\n".encode("latin-1")
    )
    err = failing(spring.slug, folder)
    assert "shifts.csv:3: this line is not UTF-8" in err


@pytest.mark.parametrize(
    "hostile",
    [
        b"agent_email,date,start,end\n\x00\x00\x00,2027-03-08,09:00,17:00\n",
        b'agent_email,date,start,end\n"adam@example.com,2027-03-08,09:00,17:00\n',
        b"agent_email,date,start,end\n=cmd|' /C calc'!A0,2027-03-08,09:00,17:00\n",
        b"agent_email,date,start,end\n" + b"x" * 200_000 + b",2027-03-08,09:00,17:00\n",
        b"PK\x03\x04 a workbook, not a CSV",
        bytes(range(256)) * 10,
        b"agent_email,date,start,end\nadam@example.com\r\x85,2027-03-08,\xe2\x80\xa8,17:00\n",
    ],
)
def test_hostile_content_is_an_error_message_never_a_traceback(spring, cast, write_files, hostile):
    err = failing(spring.slug, write_files(shifts=hostile))
    assert "shifts.csv:" in err
    assert not Shift.objects.exists()


def test_an_error_message_never_spans_two_lines(spring, cast, write_files):
    err = failing(
        spring.slug,
        write_files(
            shifts='agent_email,date,start,end\n"evil\nshifts.csv:9: fake",2027-03-08,9,17\n'
        ),
    )
    assert all(line.startswith(("shifts.csv:", "warning")) for line in err.splitlines())


# The command's own edges ---------------------------------------------------------------------


def test_unknown_programme(db, tmp_path):
    with pytest.raises(CommandError, match="no programme with the slug 'nope'"):
        run("import_availability", "nope", str(tmp_path))


def test_a_folder_without_either_file(spring, tmp_path):
    with pytest.raises(CommandError, match=r"holds neither shifts\.csv nor availability\.csv"):
        run("import_availability", spring.slug, str(tmp_path))


def test_a_missing_folder(spring, tmp_path):
    with pytest.raises(CommandError, match="is not a folder"):
        run("import_availability", spring.slug, str(tmp_path / "missing"))


def test_a_closed_programme_refuses_imports(spring, cast, write_files):
    spring.status = ProgrammeStatus.CLOSED
    spring.save()
    with pytest.raises(CommandError, match="closed"):
        run("import_availability", spring.slug, str(write_files(shifts=SHIFTS)))
    assert not Shift.objects.exists()
