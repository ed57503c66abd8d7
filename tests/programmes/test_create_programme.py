"""`create_programme SLUG --name N --start D --end D [...]` (CONTRACT.md)."""

import datetime as dt

import pytest
from django.core.management import CommandError, execute_from_command_line

from shadowing.programmes.models import Programme, ProgrammeStatus
from tests.programmes.conftest import run

pytestmark = pytest.mark.django_db


def test_creates_a_draft_programme_with_the_defaults():
    out, _err = run(
        "create_programme",
        "spring-2027",
        "--name",
        "Spring 2027",
        "--start",
        "2027-03-08",
        "--end",
        "2027-03-19",
    )
    programme = Programme.objects.get(slug="spring-2027")
    assert programme.name == "Spring 2027"
    assert (programme.start_date, programme.end_date) == (dt.date(2027, 3, 8), dt.date(2027, 3, 19))
    assert programme.status == ProgrammeStatus.DRAFT
    assert (programme.days_per_executive, programme.max_days_per_agent) == (1, 2)
    assert programme.reporting_depth == 3
    assert programme.allow_cross_region is False
    assert "spring-2027" in out


def test_takes_every_setting():
    run(
        "create_programme",
        "fall",
        "--name",
        "Fall",
        "--start",
        "2027-10-04",
        "--end",
        "2027-10-04",
        "--days-per-executive",
        "2",
        "--max-days-per-agent",
        "1",
        "--reporting-depth",
        "0",
        "--allow-cross-region",
    )
    programme = Programme.objects.get(slug="fall")
    assert programme.days_per_executive == 2
    assert programme.max_days_per_agent == 1
    assert programme.reporting_depth == 0
    assert programme.allow_cross_region is True


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--start", "2027-03-19", "--end", "2027-03-08"], "cannot come before the first day"),
        (["--start", "2027-13-01", "--end", "2027-03-08"], "--start '2027-13-01' is not a date"),
        (["--start", "2027-03-08", "--end", "next friday"], "--end 'next friday' is not a date"),
        (["--start", "2027-03-08", "--end", "2029-03-08"], "at most 366 days"),
        (
            ["--start", "2027-03-08", "--end", "2027-03-09", "--days-per-executive", "3"],
            "days per executive",
        ),
        (
            ["--start", "2027-03-08", "--end", "2027-03-09", "--max-days-per-agent", "0"],
            "max days per agent",
        ),
    ],
)
def test_refuses_bad_input_with_a_message(extra, message):
    with pytest.raises(CommandError, match=message):
        run("create_programme", "p", "--name", "P", *extra)
    assert not Programme.objects.exists()


def test_refuses_a_slug_that_exists(spring):
    with pytest.raises(CommandError, match="slug: Programme with this Slug already exists"):
        run(
            "create_programme",
            spring.slug,
            "--name",
            "Again",
            "--start",
            "2027-03-08",
            "--end",
            "2027-03-09",
        )
    assert Programme.objects.get().name == "Spring 2027"


def test_refuses_a_bad_slug():
    with pytest.raises(CommandError, match="slug"):
        run(
            "create_programme",
            "no spaces!",
            "--name",
            "P",
            "--start",
            "2027-03-08",
            "--end",
            "2027-03-09",
        )


def test_from_the_command_line_a_failure_exits_non_zero_without_traceback(spring, capsys):
    argv = [
        "manage.py",
        "create_programme",
        spring.slug,
        "--name",
        "X",
        "--start",
        "2027-03-09",
        "--end",
        "2027-03-08",
    ]
    with pytest.raises(SystemExit) as exit_info:
        execute_from_command_line(argv)
    assert exit_info.value.code != 0
    err = capsys.readouterr().err
    assert "already exists" in err
    assert "cannot come before the first day" in err
    assert "Traceback" not in err
