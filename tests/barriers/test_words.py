"""The backlog's counted words: each count with its own plural, in English and French."""

from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import translation

TEMPLATE = Template("{% load backlog_tags %}{% seen_by item %}")


def seen_by(executives: int, agents: int, language: str = "en") -> str:
    item = SimpleNamespace(executive_count=executives, agent_count=agents)
    with translation.override(language):
        return TEMPLATE.render(Context({"item": item}))


@pytest.mark.parametrize(
    ("executives", "agents", "english", "french"),
    [
        (1, 0, "1 executive saw it", "1 cadre l’a vu"),
        (0, 1, "1 agent saw it", "1 agent l’a vu"),
        (2, 0, "2 executives saw it", "2 cadres l’ont vu"),
        (1, 1, "1 executive and 1 agent saw it", "1 cadre et 1 agent l’ont vu"),
        (3, 2, "3 executives and 2 agents saw it", "3 cadres et 2 agents l’ont vu"),
        (0, 0, "", ""),
    ],
)
def test_who_saw_an_item(executives, agents, english, french):
    assert seen_by(executives, agents) == english
    assert seen_by(executives, agents, "fr-ca") == french


@pytest.mark.django_db
def test_the_item_page_says_who_saw_it(client, hank, item):
    client.force_login(hank)
    page = client.get(f"/backlog/{item.pk}/").content.decode()
    assert "1 executive saw it" in page
    assert "executives and" not in page
