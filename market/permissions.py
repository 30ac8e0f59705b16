"""Who may change a market note: its author, a manager of the author's team, an admin."""

from accounts.models import User
from market.models import MarketNote


def can_change_note(user: User, note: MarketNote) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_admin or note.author_id == user.pk:
        return True
    return (
        user.is_manager
        and user.team_id is not None
        and note.author.team_id == user.team_id
        and note.visibility != MarketNote.Visibility.PRIVATE
    )
