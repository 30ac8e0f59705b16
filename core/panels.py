"""Pages that span apps are assembled from panels (docs/architecture.md, "Panels").

The app that owns a page keeps a `PanelRegistry`; a higher app registers a panel (a partial
template and a function that returns its context) in its AppConfig.ready(). The page renders every
registered panel, so the owner never imports the apps to its right.
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


class PanelRegistry:
    def __init__(self, page: str) -> None:
        self.page = page
        self._panels: dict[str, Panel] = {}

    def register(self, panel: Panel) -> None:
        # Registering again under the same name replaces (ready() can run twice in tests).
        self._panels[panel.name] = panel

    def render_list(self, request: HttpRequest, subject: Any = None) -> list[dict[str, Any]]:
        """Each panel's template and context, in order, ready for `{% include %}`."""
        panels = sorted(self._panels.values(), key=lambda panel: (panel.order, panel.name))
        return [
            {"name": panel.name, "template": panel.template, **panel.context(request, subject)}
            for panel in panels
        ]


# "My day": the recruiter's start page. Follow-ups and outgoing messages register here.
MY_DAY = PanelRegistry("my_day")
