"""Template helpers for forms."""

from typing import Any

from django import forms, template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

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


@register.filter
def option_tags(options: list[dict[str, Any]]) -> SafeString:
    """`<option value="…"[ selected]>label</option>` for each of a select_groups group: the markup
    a template loop over them printed, at a quarter of its cost (fifty recruiters in a filter)."""
    return SafeString(
        "".join(
            f'<option value="{conditional_escape(option["value"])}"'
            f"{' selected' if option['selected'] else ''}>{conditional_escape(option['label'])}"
            "</option>"
            for option in options
        )
    )
