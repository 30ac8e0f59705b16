"""Pages that span apps are assembled from panels (docs/architecture.md, "Panels").

The app that owns a page keeps a `PanelRegistry`; a higher app registers a panel (a partial
template and a function that returns its context) in its AppConfig.ready(). The page renders every
registered panel, so the owner never imports the apps to its right.

A lower app's page links upward the same way: it keeps a `LinkRegistry` (say, the actions on the
contact page) and a higher app registers a `Link` to one of its own pages. The page shows the
links registered and never names a higher app's URL.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    context: Callable[[HttpRequest, Any], dict[str, Any]]
    order: int = 100
    # select_related paths the panel reads off its subject ("relationship__owner"): the page
    # fetches them with the subject, in its one query, instead of the panel asking again.
    related: tuple[str, ...] = ()


class PanelRegistry:
    def __init__(self, page: str) -> None:
        self.page = page
        self._panels: dict[str, Panel] = {}

    def register(self, panel: Panel) -> None:
        # Registering again under the same name replaces (ready() can run twice in tests).
        self._panels[panel.name] = panel

    def related(self) -> tuple[str, ...]:
        """What the registered panels read off the subject, for the page's select_related."""
        return tuple(sorted({path for panel in self._panels.values() for path in panel.related}))

    def render_list(self, request: HttpRequest, subject: Any = None) -> list[dict[str, Any]]:
        """Each panel's template and context, in order, ready for `{% include %}`."""
        panels = sorted(self._panels.values(), key=lambda panel: (panel.order, panel.name))
        return [
            {"name": panel.name, "template": panel.template, **panel.context(request, subject)}
            for panel in panels
        ]


@dataclass(frozen=True)
class Link:
    name: str
    # The text of the link, or a function subject -> text.
    label: str | Callable[[Any], str]
    # subject -> the URL, query string included.
    url: Callable[[Any], str]
    order: int = 100


class LinkRegistry:
    def __init__(self, page: str) -> None:
        self.page = page
        self._links: dict[str, Link] = {}

    def register(self, link: Link) -> None:
        # Registering again under the same name replaces (ready() can run twice in tests).
        self._links[link.name] = link

    def render_list(self, subject: Any = None) -> list[dict[str, str]]:
        """Each link's name, label and URL for the subject, in order."""
        links = sorted(self._links.values(), key=lambda link: (link.order, link.name))
        return [
            {
                "name": link.name,
                "label": link.label(subject) if callable(link.label) else link.label,
                "url": link.url(subject),
            }
            for link in links
        ]

    def url(self, name: str, subject: Any = None) -> str | None:
        """The URL of the link registered under `name` for the subject; None when none is."""
        link = self._links.get(name)
        return None if link is None else link.url(subject)


# "My day": the recruiter's start page. Follow-ups and outgoing messages register here.
MY_DAY = PanelRegistry("my_day")
