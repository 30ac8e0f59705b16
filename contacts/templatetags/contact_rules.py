"""contacts.permissions for templates: `{% if fact|fact_changeable_by:user %}`."""

from django import template

from accounts.models import User
from contacts.models import Fact
from contacts.permissions import can_change_fact

register = template.Library()


@register.filter
def fact_changeable_by(fact: Fact, user: User) -> bool:
    return can_change_fact(user, fact)
