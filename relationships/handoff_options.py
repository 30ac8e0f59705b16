"""Options that later apps add to the handoff flow, as panels add to pages
(docs/architecture.md, "Registered hooks"): the handoff never imports them. Follow-through
offers to introduce the new recruiter by email.

An option registered here (in the app's AppConfig.ready()):
- shows `template` on the confirm step, inside the confirming form, with `context(request,
  draft)`: it sees who hands off to whom and the contacts listed;
- reads what was chosen from the confirming POST with `choice(data, draft)` (None: nothing to
  do, e.g. the option was not on the page);
- acts with `perform(handoff=..., user=..., choice=...)` inside the handoff's transaction, after
  the relationships and the movers moved, and answers in a sentence what it did: the handoff's
  history shows it (Handoff.extras). "" records nothing.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from accounts.models import User
from contacts.models import Contact
from relationships.models import Handoff


@dataclass(frozen=True)
class HandoffDraft:
    """A handoff about to be confirmed: `count` relationships move, `contacts` are the ones
    listed (all of them, or the first by name when `more` are not listed)."""

    from_recruiter: User
    to_recruiter: User
    contacts: list[Contact]
    count: int
    more: int


@dataclass(frozen=True)
class HandoffOption:
    name: str
    template: str
    context: Callable[[HttpRequest, HandoffDraft], dict[str, Any]]
    choice: Callable[[Mapping[str, Any], HandoffDraft], Any]
    perform: Callable[..., str]
    order: int = 100


_options: dict[str, HandoffOption] = {}


def handoff_option_register(option: HandoffOption) -> None:
    # Registering again under the same name replaces (ready() can run twice in tests).
    _options[option.name] = option


def handoff_option_list() -> list[HandoffOption]:
    return sorted(_options.values(), key=lambda option: (option.order, option.name))


def handoff_options_render(request: HttpRequest, draft: HandoffDraft) -> list[dict[str, Any]]:
    """Each option's template and context, ready for `{% include %}` on the confirm step."""
    return [
        {"name": option.name, "template": option.template, **option.context(request, draft)}
        for option in handoff_option_list()
    ]


def handoff_choices_read(data: Mapping[str, Any], draft: HandoffDraft) -> dict[str, Any]:
    """What the confirming POST chose, by option name (options with nothing to do left out)."""
    choices = {option.name: option.choice(data, draft) for option in handoff_option_list()}
    return {name: choice for name, choice in choices.items() if choice is not None}


def handoff_options_perform(handoff: Handoff, user: User, choices: Mapping[str, Any]) -> None:
    """Run the chosen options and keep their sentences on the handoff."""
    done = {}
    for option in handoff_option_list():
        if option.name in choices:
            sentence = option.perform(handoff=handoff, user=user, choice=choices[option.name])
            if sentence:
                done[option.name] = sentence
    if done:
        handoff.extras = {**handoff.extras, **done}
        handoff.save(update_fields=["extras", "updated_at"])
