"""Who may change what in contacts. Every recruiter sees and edits every contact (one agency per
deployment); a remembered fact is deleted by whoever wrote it down, a manager or an admin."""

from accounts.models import User
from contacts.models import Fact


def can_delete_fact(user: User, fact: Fact) -> bool:
    return user.is_manager or (fact.author_id is not None and fact.author_id == user.pk)
