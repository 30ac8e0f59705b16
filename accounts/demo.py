"""Demo teams and logins for `manage.py load_demo`. Idempotent: a second run adds nothing."""

from accounts.models import Team, User
from accounts.services import user_create

DEMO_PASSWORD = "rapport-demo"  # noqa: S105 - demo data for local runs only
DEMO_USERS = [
    # username, first, last, role, team
    ("recruiter", "Rosa", "Reyes", User.Role.RECRUITER, "London desk"),
    ("recruiter2", "Tom", "Brandt", User.Role.RECRUITER, "Berlin desk"),
    ("manager", "Maya", "Okafor", User.Role.MANAGER, "London desk"),
    ("admin", "Adam", "Stone", User.Role.ADMIN, None),
]


def load(stdout) -> None:
    # A demo admin made before admins were superusers could open the Django admin but see nothing.
    User.objects.filter(role=User.Role.ADMIN, username="admin", is_superuser=False).update(
        is_staff=True, is_superuser=True
    )
    for username, first, last, role, team_name in DEMO_USERS:
        if User.objects.filter(username=username).exists():
            continue
        team = Team.objects.get_or_create(name=team_name)[0] if team_name else None
        user_create(
            username=username,
            password=DEMO_PASSWORD,
            email=f"{username}@rapport.example",
            first_name=first,
            last_name=last,
            role=role,
            team=team,
        )
        stdout.write(f"  demo user {username} ({role})")


def logins() -> list[tuple[str, str, str]]:
    return [(username, DEMO_PASSWORD, role) for username, _, _, role, _ in DEMO_USERS]
