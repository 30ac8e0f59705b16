"""Reads of users, shared by every app's forms and pages."""

from django.db.models import QuerySet

from accounts.models import User


def recruiter_list() -> QuerySet[User]:
    """Active users by name: who can own, take over or be given work."""
    return User.objects.filter(is_active=True).order_by("first_name", "last_name", "username")


def user_list() -> QuerySet[User]:
    """Every user, active ones first, by name: departed users still own what they owned."""
    return User.objects.order_by("-is_active", "first_name", "last_name", "username")
