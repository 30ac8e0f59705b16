"""What later apps hear of the pipeline's decisions, without jobs importing them.

- Decision listeners: a client's decision (a stage move, the close of a candidacy, the close of
  a job) answers what was waiting for it (followups completes its "chase the client" follow-up).
  `listener(decisions)` runs inside the deciding transaction, once per service call, with one
  `Decision` per candidacy.
- Reopen listeners: a closed candidacy opens again, by an undo within the window or on purpose
  (followups cancels the closure notice still to be sent). `listener(candidacies, undo=...)` runs
  inside the reopening transaction; a listener may refuse with a ValidationError (an undo after
  the closure notice left), which rolls everything back.
- The undo window: how long after a decision it may be undone. Followups registers its policy's
  `closure_undo` (the closure notice leaves when the window ends); without it, an hour.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from jobs.models import Candidacy

DEFAULT_UNDO_WINDOW = timedelta(minutes=60)


@dataclass(frozen=True)
class Decision:
    candidacy_id: int
    what: str  # "moved to offer", "closed, rejected by the client"
    at: datetime


DecisionListener = Callable[[Sequence[Decision]], None]
ReopenListener = Callable[..., None]

_decision_listeners: dict[str, DecisionListener] = {}
_reopen_listeners: dict[str, ReopenListener] = {}
_undo_window: list[Callable[[], timedelta]] = []


def decision_listener_register(name: str, listener: DecisionListener) -> None:
    _decision_listeners[name] = listener


def reopen_listener_register(name: str, listener: ReopenListener) -> None:
    _reopen_listeners[name] = listener


def undo_window_register(window: Callable[[], timedelta]) -> None:
    _undo_window[:] = [window]


def undo_window() -> timedelta:
    return _undo_window[0]() if _undo_window else DEFAULT_UNDO_WINDOW


def decisions_announce(decisions: Sequence[Decision]) -> None:
    if decisions:
        for listener in _decision_listeners.values():
            listener(decisions)


def reopening_announce(candidacies: Sequence[Candidacy], *, undo: bool) -> None:
    if candidacies:
        for listener in _reopen_listeners.values():
            listener(candidacies, undo=undo)
