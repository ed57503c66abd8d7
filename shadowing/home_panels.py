"""Panels that other apps add to each person's home page.

The dependency direction is shadowing <- debriefs <- barriers: shadowing never imports the apps
built on it, so they register here (from their AppConfig.ready) a function that takes the
request and returns a rendered panel, or "" when it has nothing for this person.
"""

from collections.abc import Callable

from django.http import HttpRequest

Panel = Callable[[HttpRequest], str]
_panels: list[tuple[int, str, Panel]] = []


def register(name: str, panel: Panel, *, order: int = 100) -> None:
    """Add `panel` under `name` (registering a name again replaces it)."""
    global _panels
    _panels = sorted(
        [entry for entry in _panels if entry[1] != name] + [(order, name, panel)],
        key=lambda entry: (entry[0], entry[1]),
    )


def render_panels(request: HttpRequest) -> list[str]:
    return [html for _order, _name, panel in _panels if (html := panel(request))]
