from django import template
from django.utils.safestring import SafeString

from market.markdown import markdown_render

register = template.Library()


@register.filter
def note_markdown(body: str) -> SafeString:
    return markdown_render(body or "")
