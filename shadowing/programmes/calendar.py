"""Closed days: the dates on which no visit is proposed at a site.

Three sources: the public holidays of the site's `country` and `subdivision` (the `holidays`
package), the programme's blackout dates (`BlackoutDate`) and the company's days off
(`CompanyDay`), both of which close every site. A
shift's `date` is already the local date of its site, so a holiday is looked up by that date
as it is, with no time-zone arithmetic.

    closed_days(programme, sites) -> {(site_id, date): reason in words}
    closed_reason(programme, site, day) -> reason in words, or None
    site_holidays(country, subdivision, year) -> {date: holiday name}

Holiday tables are cached per (country, subdivision, year, language): the package computes
them, which costs far more than a lookup, and they never change while the process lives.
"""

import datetime as dt
from functools import lru_cache

from django.db.models import Value
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from shadowing.organisation.models import CompanyDay
from shadowing.programmes.models import BlackoutDate, Programme


def site_holidays(country: str, subdivision: str, year: int) -> dict[dt.date, str]:
    """The public holidays of `country` (ISO 3166-1 alpha-2) and `subdivision` (ISO 3166-2
    part, may be empty) in `year`, named in the active language where the package can. An empty
    or unknown country has none: a site with no country keeps no public holidays."""
    return dict(_holidays(country.upper(), subdivision.upper(), year, _language()))


def is_supported(country: str, subdivision: str = "") -> bool:
    """Whether the `holidays` package knows `country` and, when given, its `subdivision`."""
    import holidays

    supported = holidays.list_supported_countries()
    country, subdivision = country.upper(), subdivision.upper()
    if country not in supported:
        return False
    return not subdivision or subdivision in supported[country]


def holiday_name(country: str, subdivision: str, day: dt.date) -> str | None:
    return site_holidays(country, subdivision, day.year).get(day)


def blackout_reasons(programme: Programme) -> dict[dt.date, str]:
    """The programme's blackout dates and the coordinator's reason for each; one query."""
    return dict(BlackoutDate.objects.filter(programme=programme).values_list("date", "reason"))


def closed_days(programme: Programme, sites) -> dict[tuple[int, dt.date], str]:
    """Every (site id, date) of `programme` on which `sites` take no visit, with the reason in
    words: the blackout's reason, else the company day's name, else the public holiday's.
    `sites` are Site objects (or anything with `pk`, `country`, `subdivision`). One query for
    the blackout dates and the company days."""
    blackouts, company = _closing_rows(programme, programme.start_date, programme.end_date)
    years = range(programme.start_date.year, programme.end_date.year + 1)
    closed: dict[tuple[int, dt.date], str] = {}
    for site in sites:
        holidays_here: dict[dt.date, str] = {}
        if site.country:
            for year in years:
                holidays_here |= site_holidays(site.country, site.subdivision, year)
        for day in programme.dates:
            reason = _closed_reason(day, blackouts, holidays_here, company)
            if reason:
                closed[(site.pk, day)] = reason
    return closed


def closed_reason(programme: Programme, site, day: dt.date) -> str | None:
    """Why `site` takes no visit on `day` in `programme`, or None when it is open."""
    holidays_here = site_holidays(site.country, site.subdivision, day.year) if site.country else {}
    blackouts, company = _closing_rows(programme, day, day)
    return _closed_reason(day, blackouts, holidays_here, company)


def _closing_rows(
    programme: Programme, start: dt.date, end: dt.date
) -> tuple[dict[dt.date, str], dict[dt.date, str]]:
    """The programme's blackout reasons and the company's days off from `start` to `end`, in
    one query (a UNION), as two {date: words} maps."""
    dated = {"date__gte": start, "date__lte": end}
    rows = (
        BlackoutDate.objects.filter(programme=programme, **dated)
        .order_by()
        .annotate(source=Value("blackout"))
        .values_list("date", "reason", "source")
        .union(
            CompanyDay.objects.filter(**dated)
            .order_by()
            .annotate(source=Value("company"))
            .values_list("date", "name", "source"),
            all=True,
        )
    )
    blackouts: dict[dt.date, str] = {}
    company: dict[dt.date, str] = {}
    for day, words, source in rows:
        (blackouts if source == "blackout" else company)[day] = words
    return blackouts, company


def _closed_reason(
    day: dt.date,
    blackouts: dict[dt.date, str],
    holidays_here: dict[dt.date, str],
    company: dict[dt.date, str],
) -> str | None:
    if day in blackouts:
        return _("blackout date: %(reason)s") % {"reason": blackouts[day]}
    if day in company:
        return _("company day off: %(name)s") % {"name": company[day]}
    if day in holidays_here:
        return _("public holiday: %(name)s") % {"name": holidays_here[day]}
    return None


def _language() -> str:
    return "fr" if (get_language() or "").startswith("fr") else "en"


@lru_cache(maxsize=256)
def _holidays(
    country: str, subdivision: str, year: int, language: str
) -> tuple[tuple[dt.date, str], ...]:
    import holidays

    if not country or not is_supported(country, subdivision):
        return ()
    entity = holidays.country_holidays(country, subdiv=subdivision or None, years=year)
    wanted = [x for x in entity.supported_languages if x.split("_")[0] == language]
    if wanted and entity.default_language not in wanted:
        # The site's own country first (en_CA for Canada), else the package's first listed.
        own = [x for x in wanted if x.endswith(f"_{country}")]
        entity = holidays.country_holidays(
            country, subdiv=subdivision or None, years=year, language=(own or wanted)[0]
        )
    names = sorted(entity.items())
    if language == "fr":  # French typography: the typographic apostrophe
        names = [(day, name.replace("'", "\u2019")) for day, name in names]
    return tuple(names)
