from django.db import transaction

from accounts.models import Team, User


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    role: str = User.Role.RECRUITER,
    team: Team | None = None,
) -> User:
    """Create a user. An admin runs the whole deployment, Django's admin site included (users,
    teams, API tokens), so an admin is staff with every permission."""
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        role=role,
        team=team,
        is_staff=role == User.Role.ADMIN,
        is_superuser=role == User.Role.ADMIN,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def user_manager_digest_set(*, user: User, enabled: bool) -> User:
    """Opt in to (or out of) the manager's weekly digest email."""
    user.manager_digest = enabled
    user.save(update_fields=["manager_digest"])
    return user
