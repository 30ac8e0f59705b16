"""Who may change follow-through. A follow-up and an outgoing message belong to their recruiter;
their manager and admins may act on them (covering for a colleague; accounts.rules). Templates
and the policy are an admin's."""

from accounts.models import User
from accounts.rules import acts_for_owner_of
from followups.models import FollowUp, Message


def can_change_followup(user: User, followup: FollowUp) -> bool:
    return acts_for_owner_of(user, followup)


def can_change_message(user: User, message: Message) -> bool:
    return acts_for_owner_of(user, message)


def can_edit_templates(user: User) -> bool:
    return user.is_admin
