"""One way to write dates, times and numbers per language (config/formats/), department names
in the reader's language, and French typography in every mail."""

import datetime as dt
import re

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


# Every template prints a record's id as it is: numbers are grouped on pages (1,234), and an id
# grouped in an anchor, a form value or an element id breaks it once the ids pass 999.
ID_PRINTED = re.compile(r"\{\{ ?[\w.]*\.(pk|id|\w+(?<!message)_id) ?\}\}")  # a Message-ID is text


def test_no_template_prints_an_id_that_grouping_would_break():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    folders = ["templates", "shadowing", "debriefs", "barriers", "reports"]
    found = [
        f"{path.relative_to(root)}:{number}: {match.group(0)}"
        for folder in folders
        for path in sorted((root / folder).rglob("*.html")) + sorted((root / folder).rglob("*.txt"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        for match in ID_PRINTED.finditer(line)
    ]
    assert found == [], "use |unlocalize (load l10n): " + "; ".join(found)


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


# French typography in mail ---------------------------------------------------------------------

CATALOGUES = [
    "locale/fr_CA/LC_MESSAGES/django.mo",
    "barriers/locale/fr_CA/LC_MESSAGES/django.mo",
    "debriefs/locale/fr_CA/LC_MESSAGES/django.mo",
    "reports/locale/fr_CA/LC_MESSAGES/django.mo",
    "stories/locale/fr_CA/LC_MESSAGES/django.mo",
]


def typography_faults(text: str) -> list[str]:
    """What French typography forbids in `text`: an ASCII apostrophe, a plain space (or none)
    before : ; ? ! », none after «, and "de" or "que" unelided before a vowel-initial name."""
    text = re.sub(r"https?://\S+", "", text)  # links are not prose
    text = re.sub(r"<[^>]*>", "", text)  # nor are tags and their attributes
    faults = []
    if "'" in text:
        faults.append("ASCII apostrophe")
    if re.search(r" [:;?!»]", text):
        faults.append("plain space before : ; ? ! »")
    if re.search(r"[^\s\u00a0\u202f][;?!»](\s|$)|[^\s\u00a0\u202f\d]:(\s|$)", text):
        faults.append("no space before : ; ? ! »")
    if re.search(r"«[^\u00a0\u202f]", text):
        faults.append("no space after «")
    if re.search(r"\b(de|que) [AEIOUYÉÈÊÀÂÎÔÛ][a-zà-ÿ]", text):  # a name, not "de A à Z"
        faults.append("de or que before a vowel: no elision")
    return faults


@pytest.mark.parametrize("path", CATALOGUES)
def test_every_french_translation_follows_french_typography(path):
    """Every subject and body line of every French mail comes from these catalogues."""
    import gettext
    from pathlib import Path

    from django.conf import settings

    catalogue = gettext.GNUTranslations((Path(settings.BASE_DIR) / path).open("rb"))._catalog
    faults = {}
    for key, value in catalogue.items():
        if not key:
            continue  # the header
        # A placeholder is a name or a number, not a word before which French elides.
        shown = re.sub(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}|%[sd]", "X", value)
        if found := typography_faults(shown):
            faults[value] = found
    assert faults == {}


@pytest.fixture
def french_visit(db, care):
    """Émilie visits Abena: both names start with a vowel, so French must elide before them."""
    from shadowing.programmes.models import Programme
    from tests.factories import PersonFactory, SiteFactory, make_pairing

    site = SiteFactory(code="MTL", name="Montréal", timezone="America/Toronto")
    programme = Programme.objects.create(
        slug="printemps",
        name="Immersion printemps",
        start_date=dt.date(2027, 3, 8),
        end_date=dt.date(2027, 3, 19),
    )
    executive = PersonFactory(
        email="emilie@example.com",
        full_name="Émilie Ouellet",
        department=care,
        site=site,
        is_executive=True,
        languages=["fr"],
    )
    agent = PersonFactory(
        email="abena@example.com",
        full_name="Abena Owusu",
        department=care,
        site=site,
        is_agent=True,
        languages=["fr"],
    )
    return make_pairing(programme, executive, agent, dt.date(2027, 3, 9))


def _french_mail_texts(pairing) -> dict[str, str]:
    from shadowing.invitations.compose import compose
    from shadowing.invitations.models import MessageKind

    now = dt.datetime(2027, 3, 1, 12, tzinfo=dt.UTC)
    texts = {}
    for kind in (MessageKind.REQUEST, MessageKind.CANCEL, MessageKind.REMINDER):
        for person in (pairing.executive, pairing.agent):
            letter = compose(
                kind=kind, sequence=1, pairing=pairing, person=person, now=now, reason="Grève"
            )
            texts[f"{kind} {person.email} subject"] = letter.subject
            texts[f"{kind} {person.email} text"] = letter.text
            texts[f"{kind} {person.email} html"] = letter.html
            if letter.calendar:
                texts[f"{kind} {person.email} calendar"] = letter.calendar.decode()
    letter = compose(
        kind=MessageKind.DEBRIEF, sequence=1, pairing=pairing, person=pairing.executive, now=now
    )
    texts.update(debrief_subject=letter.subject, debrief_text=letter.text, debrief=letter.html)
    return texts


def test_every_french_invitation_follows_french_typography(french_visit):
    texts = _french_mail_texts(french_visit)
    assert "Quand\xa0:" in texts[f"request {french_visit.executive.email} text"]
    assert "aux côtés d’Abena" in texts[f"request {french_visit.executive.email} subject"]
    faults = {}
    for name, text in texts.items():
        if name.endswith("calendar"):
            # iCalendar folds long lines and escapes , and ; : read its text properties only.
            text = re.sub(r"\r\n[ \t]", "", text)
            text = "\n".join(
                line.split(":", 1)[1].replace("\\,", ",").replace("\\;", ";").replace("\\n", "\n")
                for line in text.splitlines()
                if line.startswith(("SUMMARY", "DESCRIPTION"))
            )
        if found := typography_faults(text):
            faults[name] = (found, text)
    assert faults == {}


def test_english_mail_keeps_its_de_and_its_colons(french_visit):
    from shadowing.invitations.compose import compose
    from shadowing.invitations.models import MessageKind

    agent = french_visit.agent
    agent.languages = ["en"]
    agent.save()
    executive = french_visit.executive
    executive.languages = ["en"]
    executive.save()
    now = dt.datetime(2027, 3, 1, 12, tzinfo=dt.UTC)
    letter = compose(
        kind=MessageKind.REQUEST, sequence=1, pairing=french_visit, person=executive, now=now
    )
    assert "When: Tuesday, March 9, 2027, 09:00–17:00" in letter.text
    assert "beside Abena Owusu" in letter.subject


def test_every_french_debrief_and_backlog_mail_follows_french_typography(french_visit, mailoutbox):
    from barriers import mail as backlog_mail
    from debriefs import mail as debrief_mail

    executive, agent = french_visit.executive, french_visit.agent
    debrief_mail.agent_link_mail(french_visit)
    debrief_mail.reminder_mail(french_visit, nudged_by=agent)
    debrief_mail.reopened_mail(french_visit, reopened_by=agent)
    debrief_mail.overdue_mail(executive, [french_visit], ["https://example.com/c/"])

    class Item:
        title, resolution, pk, due = "Écran lent", "Réglé", 7, dt.date(2027, 3, 20)
        department, owner = french_visit.agent.department, agent

    for template, context in [
        ("barriers/email/resolved.txt", {"item": Item, "refused": False, "url": "u"}),
        ("barriers/email/resolved.txt", {"item": Item, "refused": True, "url": "u"}),
        ("barriers/email/reopened.txt", {"item": Item, "url": "u"}),
        *[
            ("barriers/email/escalation.txt", {"kind": kind, "days": 5, "rows": [row]})
            for kind in ("reminder", "overdue_reminder", "escalation", "overdue_escalation")
            for row in [{"item": Item, "url": "u"}]
        ],
    ]:
        backlog_mail.send(to=executive, subject="Escalation", template=template, context=context)
    assert len(mailoutbox) == 4 + 7
    faults = {
        message.subject: found
        for message in mailoutbox
        if (found := typography_faults(f"{message.subject}\n{message.body}"))
    }
    assert faults == {}


@pytest.mark.parametrize(
    ("language", "pattern"), [("en", r"^\d\d:\d\d$"), ("fr-ca", r"^\d{1,2}\xa0h\xa0\d\d$")]
)
def test_the_autosave_says_its_time_as_the_page_does(client, eve, adam, language, pattern):
    """The "Draft saved at" line the script writes uses the page's time format, not the
    browser's (which says "09:05 AM" in English)."""
    import json

    from shadowing import clock
    from shadowing.programmes.models import Programme
    from tests.factories import make_pairing

    yesterday = clock.local_today() - dt.timedelta(days=1)
    programme = Programme.objects.create(
        slug="p",
        name="P",
        start_date=yesterday - dt.timedelta(days=7),
        end_date=yesterday + dt.timedelta(days=7),
    )
    visit = make_pairing(programme, eve, adam, yesterday, status="published")
    eve.ui_language = language
    eve.save()
    client.force_login(eve)
    response = client.post(
        f"/visits/{visit.pk}/debrief/draft/",
        json.dumps({"overall": "Half"}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert re.match(pattern, response.json()["saved_time"])
