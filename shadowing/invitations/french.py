"""French elision where a name is put into a sentence: "aux côtés de %(agent)s" with Abena
is « aux côtés d’Abena », "que %(name)s" with Eve is « qu’Eve ». A translation cannot know the
name, so the finished text is corrected. Pure text: nothing of Django."""

import re

# "de" and "que" before a capitalised vowel: the start of a name (people, sites, places). A
# name with an initial H keeps "de" (h aspiré or foreign names: « de Hank »).
_ELIDABLE = re.compile(r"\b([Dd]|[Qq]u)e (?=[AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜ])")


def elide(text: str) -> str:
    """`text` with "de Abena" written « d’Abena » and "que Eve" « qu’Eve »."""
    return _ELIDABLE.sub(lambda m: f"{m.group(1)}\u2019", text)


def for_language(text: str, language: str) -> str:
    """`text` as French typography wants it when `language` is French; unchanged otherwise."""
    return elide(text) if (language or "").lower().startswith("fr") else text
