"""Who may change follow-through. A follow-up and an outgoing message belong to their recruiter;
managers and admins may act on anyone's (covering for a colleague). Templates and the policy are
an admin's."""

from accounts.models import User
from followups.models import FollowUp, Message


def can_change_followup(user: User, followup: FollowUp) -> bool:
    return user.is_manager or followup.owner_id == user.pk


def can_change_message(user: User, message: Message) -> bool:
    return user.is_manager or message.owner_id == user.pk


def can_edit_templates(user: User) -> bool:
    return user.is_admin
