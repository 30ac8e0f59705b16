"""Template helpers for forms."""

from typing import Any

from django import forms, template

register = template.Library()


@register.filter
def select_groups(field: forms.BoundField) -> list[tuple[str | None, list[dict[str, Any]]]]:
    """A select's options as (group label or None, [option dicts with value, label, selected]).

    Django renders each option of a select through its own template; a list page's filter with
    fifty recruiters spent more time there than in its query. The page's partial loops over this
    instead and prints the same markup.
    """
    widget = field.field.widget
    value = widget.format_value(field.value())
    return [(group, options) for group, options, _ in widget.optgroups(field.html_name, value, {})]
