import hashlib
import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts.models import ApiToken, Team, User


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


# Tells a key created here from the older keys of DRF's authtoken (40 hex digits).
API_TOKEN_PREFIX = "rp_"  # noqa: S105 (a marker, not a secret)


def api_token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new API token of `user` and its key: the only time the key is known (its hash is kept)."""
    key = API_TOKEN_PREFIX + secrets.token_hex(20)
    token = ApiToken(user=user, name=name.strip(), key_hash=api_token_hash(key), prefix=key[:8])
    token.full_clean()
    token.save()
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, user: User) -> None:
    """Delete a token: its owner (or an admin) only."""
    if token.user_id != user.pk and not user.is_admin:
        raise PermissionDenied("Only a token's owner revokes it.")
    token.delete()
