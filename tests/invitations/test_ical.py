"""The pure iCalendar builder, parsed back with a second parser (vobject), without a database.

Each case names what went wrong in some scheduler: a regenerated UID (duplicates), a stuck
SEQUENCE (updates that did not update), a REQUEST carrying STATUS:CANCELLED (cancellations that
did not cancel), local times without a zone (time-zone slips)."""

import datetime as dt
import zoneinfo

import pytest
import vobject
from hypothesis import given, settings
from hypothesis import strategies as st

from shadowing.invitations.ical import (
    Attendee,
    InviteData,
    Method,
    Organizer,
    Role,
    Status,
    VisitEvent,
    build_feed,
    build_invitation,
)

VANCOUVER = zoneinfo.ZoneInfo("America/Vancouver")
HALIFAX = zoneinfo.ZoneInfo("America/Halifax")
ST_JOHNS = zoneinfo.ZoneInfo("America/St_Johns")
STAMP = dt.datetime(2027, 2, 1, 12, 0, tzinfo=dt.UTC)
ORGANIZER = Organizer("Programme d’immersion", "shadowing@example.com")
EVE = Attendee("Eve Executive", "eve@example.com")
ADAM = Attendee("Adam Agent", "adam@example.com", Role.REQUIRED)


def event(**changes) -> VisitEvent:
    values = {
        "uid": "6f1c9a4e-0d7b-4a53-9f51-2f0f3c1d7e11",
        "sequence": 0,
        "start": dt.datetime(2027, 3, 9, 9, 0, tzinfo=VANCOUVER),
        "end": dt.datetime(2027, 3, 9, 17, 0, tzinfo=VANCOUVER),
        "summary": "Shadowing: a day beside Adam Agent (Vancouver)",
        "organizer": ORGANIZER,
        "attendees": (EVE, ADAM),
        "location": "Vancouver, 1 Main St",
        "description": "A day on the floor.",
    }
    values.update(changes)
    return VisitEvent(**values)


def parse(data: bytes):
    text = data.decode("utf-8")
    return vobject.readOne(text), text


def raw_lines(text: str) -> list[str]:
    return text.split("\r\n")


@pytest.mark.parametrize(
    ("method", "status", "sequence"),
    [
        (Method.REQUEST, Status.CONFIRMED, 0),
        (Method.REQUEST, Status.CONFIRMED, 3),
        (Method.CANCEL, Status.CONFIRMED, 1),  # a CANCEL is CANCELLED whatever the event says
        (Method.CANCEL, Status.CANCELLED, 4),
    ],
)
def test_every_itip_property_reads_back_with_another_parser(method, status, sequence):
    data = build_invitation(
        InviteData(method=method, event=event(sequence=sequence, status=status), dtstamp=STAMP)
    )
    calendar, text = parse(data)
    vevent = calendar.vevent
    assert calendar.method.value == method.value
    assert calendar.version.value == "2.0"
    assert calendar.prodid.value
    assert not hasattr(calendar, "uid")  # Calendar(), not Calendar.new()
    assert vevent.uid.value == "6f1c9a4e-0d7b-4a53-9f51-2f0f3c1d7e11"
    assert int(vevent.sequence.value) == sequence
    assert vevent.dtstamp.value == STAMP
    # Times in UTC, written with Z: 09:00 in Vancouver in March (PST, before the 14th) is 17:00Z.
    assert "DTSTART:20270309T170000Z" in raw_lines(text)
    assert "DTEND:20270310T010000Z" in raw_lines(text)
    assert vevent.dtstart.value == dt.datetime(2027, 3, 9, 17, tzinfo=dt.UTC)
    assert "TZID" not in text
    assert "VTIMEZONE" not in text
    assert vevent.organizer.value == "mailto:shadowing@example.com"
    assert vevent.organizer.params["CN"] == ["Programme d’immersion"]
    attendees = {a.value: a.params for a in vevent.attendee_list}
    assert set(attendees) == {"mailto:eve@example.com", "mailto:adam@example.com"}
    for params in attendees.values():
        assert params["ROLE"] == ["REQ-PARTICIPANT"]
        assert params["PARTSTAT"] == ["NEEDS-ACTION"]
        assert params["RSVP"] == ["TRUE"]
    assert attendees["mailto:eve@example.com"]["CN"] == ["Eve Executive"]
    assert vevent.location.value == "Vancouver, 1 Main St"
    assert vevent.description.value == "A day on the floor."
    expected_status = "CANCELLED" if method is Method.CANCEL else "CONFIRMED"
    assert vevent.status.value == expected_status
    assert not hasattr(vevent, "valarm")
    assert "BEGIN:VALARM" not in text


def test_a_request_with_status_cancelled_is_refused():
    # cal.com sent cancellations as REQUEST + STATUS:CANCELLED; calendars kept the event.
    with pytest.raises(ValueError, match="METHOD:CANCEL"):
        build_invitation(InviteData(Method.REQUEST, event(status=Status.CANCELLED), dtstamp=STAMP))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"start": dt.datetime(2027, 3, 9, 9, 0)}, "aware"),
        ({"end": dt.datetime(2027, 3, 9, 8, 0, tzinfo=VANCOUVER)}, "end after"),
        ({"sequence": -1}, "negative"),
        ({"uid": " "}, "UID"),
        ({"attendees": ()}, "attendee"),
        ({"organizer": Organizer("X", "")}, "organizer"),
        ({"attendees": (Attendee("Eve", "Eve <eve@example.com>"),)}, "bare"),
    ],
)
def test_what_a_client_would_misread_is_refused(changes, message):
    with pytest.raises(ValueError, match=message):
        build_invitation(InviteData(Method.REQUEST, event(**changes), dtstamp=STAMP))


def test_the_organizer_is_a_bare_mailto_with_its_name_as_cn():
    data = build_invitation(
        InviteData(
            Method.REQUEST,
            event(organizer=Organizer("Roy, Camille", "camille.roy@example.com")),
            dtstamp=STAMP,
        )
    )
    calendar, text = parse(data)
    assert calendar.vevent.organizer.value == "mailto:camille.roy@example.com"
    assert calendar.vevent.organizer.params["CN"] == ["Roy, Camille"]
    assert "mailto:Roy" not in text
    assert "<" not in text


def test_a_comma_a_semicolon_and_a_newline_in_a_title_survive_escaped():
    title = "Visit, day 1; bring ID\nsecond line \\ backslash"
    data = build_invitation(InviteData(Method.REQUEST, event(summary=title), dtstamp=STAMP))
    calendar, text = parse(data)
    assert calendar.vevent.summary.value == title
    unfolded = text.replace("\r\n ", "")
    assert "SUMMARY:Visit\\, day 1\\; bring ID\\nsecond line \\\\ backslash" in unfolded


def test_non_ascii_names_round_trip_and_lines_fold_at_75_octets():
    long_name = "Éloïse-Françoise Côté-Bérubé de la Montagne-Saint-Hilaire Ñúñez"
    data = build_invitation(
        InviteData(
            Method.REQUEST,
            event(
                attendees=(Attendee(long_name, "eloise@example.com"), ADAM),
                description="Préparez-vous : écoutez plus que vous ne parlez. " * 5,
            ),
            dtstamp=STAMP,
        )
    )
    calendar, text = parse(data)
    names = [a.params["CN"][0] for a in calendar.vevent.attendee_list]
    assert long_name in names
    assert calendar.vevent.description.value.startswith("Préparez-vous")
    assert all(len(line.encode("utf-8")) <= 75 for line in raw_lines(text))
    assert data.endswith(b"\r\n")


def test_a_line_break_in_a_name_cannot_break_the_attendee_line():
    data = build_invitation(
        InviteData(
            Method.REQUEST,
            event(attendees=(Attendee("Eve\r\nATTENDEE:mailto:x@evil.test", "eve@example.com"),)),
            dtstamp=STAMP,
        )
    )
    calendar, _text = parse(data)
    assert [a.value for a in calendar.vevent.attendee_list] == ["mailto:eve@example.com"]


@pytest.mark.parametrize(
    ("zone", "day", "local", "utc"),
    [
        # The same 09:00-17:00 wall clock lands at different UTC instants by site.
        (VANCOUVER, dt.date(2027, 3, 9), (9, 17), ("20270309T170000Z", "20270310T010000Z")),
        (HALIFAX, dt.date(2027, 3, 9), (9, 17), ("20270309T130000Z", "20270309T210000Z")),
        (ST_JOHNS, dt.date(2027, 3, 9), (9, 17), ("20270309T123000Z", "20270309T203000Z")),
        # Sunday 14 March 2027: clocks go forward at 02:00. A visit that day is on PDT (-7)...
        (VANCOUVER, dt.date(2027, 3, 14), (9, 17), ("20270314T160000Z", "20270315T000000Z")),
        # ... and one across the change (00:30 to 08:30 local) lasts seven hours, not eight.
        (VANCOUVER, dt.date(2027, 3, 14), (0.5, 8.5), ("20270314T083000Z", "20270314T153000Z")),
        # Autumn, Halifax: 7 November 2027, 02:00 ADT becomes 01:00 AST (the hour repeats).
        (HALIFAX, dt.date(2027, 11, 7), (0.5, 8.5), ("20271107T033000Z", "20271107T123000Z")),
    ],
)
def test_site_time_zones_and_dst_changes_give_the_right_utc(zone, day, local, utc):
    def at(hours: float) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(int(hours), round(hours % 1 * 60)), tzinfo=zone)

    data = build_invitation(
        InviteData(Method.REQUEST, event(start=at(local[0]), end=at(local[1])), dtstamp=STAMP)
    )
    calendar, text = parse(data)
    assert f"DTSTART:{utc[0]}" in raw_lines(text)
    assert f"DTEND:{utc[1]}" in raw_lines(text)
    assert calendar.vevent.dtstart.value == at(local[0]).astimezone(dt.UTC)


def test_the_feed_has_no_method_and_no_attendees_but_keeps_uid_and_sequence():
    data = build_feed(
        [event(sequence=2), event(uid="other-uid", sequence=0)],
        name="Shadowing visits: Eve",
        dtstamp=STAMP,
    )
    calendar, text = parse(data)
    assert not hasattr(calendar, "method")
    assert [e.uid.value for e in calendar.vevent_list] == [
        "6f1c9a4e-0d7b-4a53-9f51-2f0f3c1d7e11",
        "other-uid",
    ]
    assert [int(e.sequence.value) for e in calendar.vevent_list] == [2, 0]
    assert "ATTENDEE" not in text
    assert "ORGANIZER" not in text
    assert "X-WR-CALNAME:Shadowing visits: Eve" in raw_lines(text)
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in raw_lines(text)


@settings(max_examples=150, deadline=None)
@given(
    method=st.sampled_from(list(Method)),
    sequence=st.integers(min_value=0, max_value=10_000),
    summary=st.text(min_size=1, max_size=120),
    name=st.text(max_size=80),
    minutes=st.integers(min_value=1, max_value=24 * 60),
    offset=st.integers(min_value=0, max_value=3 * 365 * 24 * 60),
)
def test_any_text_round_trips_and_the_itip_invariants_hold(
    method, sequence, summary, name, minutes, offset
):
    start = dt.datetime(2027, 1, 1, tzinfo=VANCOUVER) + dt.timedelta(minutes=offset)
    data = build_invitation(
        InviteData(
            method,
            event(
                sequence=sequence,
                summary=summary,
                start=start,
                end=start + dt.timedelta(minutes=minutes),
                attendees=(Attendee(name, "eve@example.com"), ADAM),
            ),
            dtstamp=STAMP,
        )
    )
    text = data.decode("utf-8")
    assert all(len(line.encode("utf-8")) <= 75 for line in raw_lines(text))
    calendar = vobject.readOne(text)
    vevent = calendar.vevent
    assert calendar.method.value == method.value
    assert int(vevent.sequence.value) == sequence
    assert vevent.dtstart.value == start.astimezone(dt.UTC)
    assert vevent.dtend.value - vevent.dtstart.value == dt.timedelta(minutes=minutes)
    assert (vevent.status.value == "CANCELLED") == (method is Method.CANCEL)
    assert "VALARM" not in text
    # Text values read back as written, once carriage returns are counted as line breaks.
    assert vevent.summary.value == summary.replace("\r\n", "\n").replace("\r", "\n")
