"""The demo organisation's people, drawn with a seed from the fixed tables of
`shadowing.demo.data` (`shadowing.demo.generate.generate_roster` runs the builder). Plain Python,
no Django.

The management tree of a front-line department runs
    agent -> team lead -> site manager -> regional director -> vice-president, operations -> head
so that, with the default reporting depth of 3, a regional director never shadows an agent of
their own region and department, while every other executive may.
"""

import random
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, replace

from shadowing.demo.data import (
    DEPARTMENTS,
    DOMAIN,
    EXECUTIVE_REGIONS,
    EXECUTIVES,
    NAME_MIX,
    NAME_POOLS,
    SITES,
    VICE_PRESIDENTS,
    DepartmentSpec,
    SiteSpec,
)

TEAM_SIZE = 12  # agents per team lead
BILINGUAL_SITES = {"OTT-CC", "MON-FD"}  # outside Quebec, where many agents speak French too


@dataclass(frozen=True)
class Person:
    email: str
    full_name: str
    title: str
    department_code: str
    manager_email: str
    site_code: str
    languages: tuple[str, ...]
    roles: tuple[str, ...] = ()


FIXED_NAMES = (
    "Camille Roy",
    "Jordan Mensah",
    "Sophie Nguyen",
    "Daniel Okafor",
    "François Lévesque",
    "Priya Raman",
    "Hélène Côté",
)


def _fixed_email(full_name: str) -> str:
    first, last = full_name.split(" ", 1)
    return f"{email_slug(first)}.{email_slug(last)}@{DOMAIN}"


@dataclass(frozen=True)
class Roster:
    departments: tuple[DepartmentSpec, ...]
    sites: tuple[SiteSpec, ...]
    people: tuple[Person, ...]  # managers before the people who report to them

    def head_of(self, department_code: str) -> str:
        return next(
            p.email
            for p in self.people
            if p.department_code == department_code and "department_head" in p.roles
        )


def email_slug(text: str) -> str:
    """ "Marie-Ève" -> "marie-eve", "O'Brien" -> "obrien", "da Silva" -> "dasilva"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in ascii_text.lower() if c.isalnum() or c == "-")


def _weighted(rng: random.Random, weights: dict) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _apportion(total: int, weights: list[float]) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainder): the parts sum to total."""
    shares = [total * w / sum(weights) for w in weights]
    parts = [int(s) for s in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: shares[i] - parts[i], reverse=True)
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


class RosterBuilder:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.sites = {s.code: s for s in SITES}
        self.people: list[Person] = []
        # The fixed cast's addresses are taken before anyone random can draw the same name.
        self.emails = {_fixed_email(name) for name in FIXED_NAMES}

    # Names, e-mails and languages ------------------------------------------------------------

    def _email(self, first: str, last: str) -> str:
        local = f"{email_slug(first)}.{email_slug(last)}"
        email, n = f"{local}@{DOMAIN}", 1
        while email in self.emails:
            n += 1
            email = f"{local}{n}@{DOMAIN}"
        self.emails.add(email)
        return email

    def _name(self, site: SiteSpec) -> tuple[str, str, str]:
        """(pool name, full name, e-mail) of someone working at `site`."""
        pool_name = _weighted(self.rng, NAME_MIX["Quebec" if site.quebec else site.region])
        pool = NAME_POOLS[pool_name]
        first, last = self.rng.choice(pool.first), self.rng.choice(pool.last)
        return pool_name, f"{first} {last}", self._email(first, last)

    def _languages(self, pool_name: str, site: SiteSpec, *, executive: bool) -> tuple[str, ...]:
        rng, pool = self.rng, NAME_POOLS[pool_name]
        if executive:
            # Executives all work in English; the French-speaking ones also in French.
            if pool.french or site.quebec:
                langs = ["fr", "en"] if rng.random() < 0.6 else ["en", "fr"]
            else:
                langs = ["en", "fr"] if rng.random() < 0.2 else ["en"]
        elif site.quebec:
            if pool.french:
                langs = ["fr", "en"] if rng.random() < 0.55 else ["fr"]
            else:
                langs = ["fr", "en"] if rng.random() < 0.6 else ["en", "fr"]
        elif pool.french:
            langs = ["fr", "en"] if rng.random() < 0.5 else ["en", "fr"]
        else:
            bilingual = 0.35 if site.code in BILINGUAL_SITES else 0.08
            langs = ["en", "fr"] if rng.random() < bilingual else ["en"]
        if pool.heritage and rng.random() < (0.15 if executive else 0.25):
            extra = rng.choice(pool.heritage)
            if extra not in langs:
                langs.append(extra)
        return tuple(langs)

    def add(
        self,
        *,
        site: SiteSpec,
        title: str,
        department: str,
        manager: str = "",
        roles: tuple[str, ...] = (),
        name: str = "",  # a fixed member of the cast, who speaks `languages`
        languages: tuple[str, ...] = (),
    ) -> Person:
        executive = "executive" in roles
        if name:
            full_name, email = name, _fixed_email(name)
        else:
            pool_name, full_name, email = self._name(site)
            languages = self._languages(pool_name, site, executive=executive)
        person = Person(
            email=email,
            full_name=full_name,
            title=title,
            department_code=department,
            manager_email=manager,
            site_code=site.code,
            languages=languages,
            roles=roles,
        )
        self.people.append(person)
        return person

    # Where executives sit -------------------------------------------------------------------

    def executive_site(self, department: DepartmentSpec, region: str | None = None) -> SiteSpec:
        region = region or _weighted(self.rng, EXECUTIVE_REGIONS)
        own = [self.sites[c] for c in department.sites if self.sites[c].region == region]
        offices = own or [
            s for s in SITES if s.region == region and s.channel in ("call_centre", "digital")
        ]
        return self.rng.choices(offices, weights=[s.size for s in offices])[0]

    # The organisation ------------------------------------------------------------------------

    def build(self) -> Roster:
        sites = self.sites
        exec_roles = ("executive",)
        heads: dict[str, Person] = {}
        fixed_heads = {
            "CARE": ("Daniel Okafor", ("en",), "TOR-CC"),
            "NET": ("François Lévesque", ("fr", "en"), "MTL-CC"),
        }
        for dept in DEPARTMENTS:
            name, languages, site_code = fixed_heads.get(dept.code, ("", (), "TOR-DG"))
            heads[dept.code] = self.add(
                site=sites[site_code],  # TOR-DG: head office
                title=dept.head_title,
                department=dept.code,
                roles=("executive", "department_head"),
                name=name,
                languages=languages,
            )

        for full_name, languages in (
            ("Camille Roy", ("en", "fr")),
            ("Jordan Mensah", ("en",)),
            ("Sophie Nguyen", ("en", "vi")),
        ):
            self.add(
                site=sites["TOR-DG"],
                title="Shadowing Programme Coordinator",
                department="CARE",
                manager=heads["CARE"].email,
                roles=("coordinator",),
                name=full_name,
                languages=languages,
            )

        vice_presidents: dict[str, list[Person]] = defaultdict(list)
        for dept in DEPARTMENTS:
            for i, area in enumerate(dept.areas[:VICE_PRESIDENTS]):
                fixed = dept.code == "FIN" and i == 0
                vice_presidents[dept.code].append(
                    self.add(
                        site=sites["TOR-DG"] if fixed else self.executive_site(dept),
                        title=f"{'Senior ' if i == 0 else ''}Vice-President, {area}",
                        department=dept.code,
                        manager=heads[dept.code].email,
                        roles=exec_roles,
                        name="Priya Raman" if fixed else "",
                        languages=("en",),
                    )
                )

        # Front-line departments: a vice-president of operations above regional directors.
        regional: dict[tuple[str, str], Person] = {}
        for dept in DEPARTMENTS:
            if not dept.agents:
                continue
            operations = self.add(
                site=self.executive_site(dept, "Central"),
                title=f"Vice-President, {dept.name} Operations",
                department=dept.code,
                manager=heads[dept.code].email,
                roles=exec_roles,
            )
            vice_presidents[dept.code].append(operations)
            regions = sorted({sites[c].region for c in dept.sites})
            for region in regions:
                biggest = max(
                    (sites[c] for c in dept.sites if sites[c].region == region),
                    key=lambda s: s.size,
                )
                regional[dept.code, region] = self.add(
                    site=biggest,
                    title=f"Regional Director, {dept.name}, {region}",
                    department=dept.code,
                    manager=operations.email,
                    roles=exec_roles,
                )

        for dept in DEPARTMENTS:
            for _ in range(dept.directors):
                senior = self.rng.random() < 0.25
                self.add(
                    site=self.executive_site(dept),
                    title=f"{'Senior ' if senior else ''}Director, {self.rng.choice(dept.areas)}",
                    department=dept.code,
                    manager=self.rng.choice(vice_presidents[dept.code]).email,
                    roles=exec_roles,
                )

        # The front line: site managers, team leads, agents.
        for dept in DEPARTMENTS:
            if not dept.agents:
                continue
            dept_sites = [sites[c] for c in dept.sites]
            for site, headcount in zip(
                dept_sites, _apportion(dept.agents, [s.size for s in dept_sites]), strict=True
            ):
                manager = self.add(
                    site=site,
                    title=f"Site Manager, {dept.name}",
                    department=dept.code,
                    manager=regional[dept.code, site.region].email,
                )
                team_leads = [
                    self.add(
                        site=site,
                        title=f"Team Lead, {dept.name}",
                        department=dept.code,
                        manager=manager.email,
                    )
                    for _ in range(max(1, round(headcount / TEAM_SIZE)))
                ]
                for i in range(headcount):
                    fixed = dept.code == "CARE" and site.code == "MTL-CC" and i == 0
                    senior = self.rng.random() < 0.15
                    self.add(
                        site=site,
                        title=f"{'Senior ' if senior else ''}{dept.agent_title}",
                        department=dept.code,
                        manager=team_leads[i % len(team_leads)].email,
                        roles=("agent",),
                        name="Hélène Côté" if fixed else "",
                        languages=("fr", "en"),
                    )

        executives = sum("executive" in p.roles for p in self.people)
        assert executives == EXECUTIVES, f"{executives} executives, expected {EXECUTIVES}"
        return Roster(
            departments=DEPARTMENTS, sites=SITES, people=tuple(programme_roles(self.people))
        )


# Departments with no CX ambassador: Legal, which owns items and never claims one.
WITHOUT_AMBASSADOR = frozenset({"LEGAL"})


def programme_roles(people: list[Person]) -> list[Person]:
    """The programme's own roles, given after the organisation is drawn so that names stay as
    they were: each department's first director is its CX ambassador (but those of
    `WITHOUT_AMBASSADOR`), and Finance's second director is the finance reviewer."""
    directors: dict[str, list[int]] = defaultdict(list)
    for i, person in enumerate(people):
        if person.title.split(",")[0] in ("Director", "Senior Director"):
            directors[person.department_code].append(i)
    given = {}
    for code, indexes in directors.items():
        if code not in WITHOUT_AMBASSADOR:
            given[indexes[0]] = "cx_ambassador"
    if len(directors.get("FIN", ())) > 1:
        given[directors["FIN"][1]] = "finance_reviewer"
    return [
        replace(p, roles=(*p.roles, given[i])) if i in given else p for i, p in enumerate(people)
    ]
