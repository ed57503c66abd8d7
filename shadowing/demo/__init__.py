"""A realistic demo organisation and programme, written as the roster files a coordinator
imports (`manage.py demo` loads them). Pure Python: nothing here touches the database."""

from shadowing.demo.generate import (
    CAST,
    SEED,
    Programme,
    Roster,
    generate_programme,
    generate_roster,
    programme_start,
    write_programme,
    write_roster,
)

__all__ = [
    "CAST",
    "SEED",
    "Programme",
    "Roster",
    "generate_programme",
    "generate_roster",
    "programme_start",
    "write_programme",
    "write_roster",
]
