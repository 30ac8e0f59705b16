"""Who sees which dashboard (docs/architecture.md, "dashboards"): a manager their team, an admin
any team or everyone, a recruiter their own card. Pages and the API resolve the scope asked for
here."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import Team, User
from dashboards.selectors import Scope


def scope_default(user: User) -> Scope:
    """What the dashboard shows without a choice: an admin their team or everyone, a manager
    their team, anyone else their own card."""
    if user.team_id and (user.is_admin or user.is_manager):
        return Scope.for_team(Team.objects.get(pk=user.team_id))
    if user.is_admin:
        return Scope.for_everyone()
    return Scope.for_recruiter(user)


def _parse(param: str) -> tuple[str, int | None]:
    try:
        return Scope.parse(param)
    except ValueError as error:
        raise Http404("No such dashboard.") from error


def scope_resolve(*, user: User, param: str | None) -> Scope:
    """The scope `param` ("team:<id>", "recruiter:<id>", "everyone", or nothing for the
    default) if `user` may see it; PermissionDenied if not, Http404 if there is no such one."""
    if not param:
        return scope_default(user)
    kind, pk = _parse(param)
    if kind == Scope.EVERYONE:
        if not user.is_admin:
            raise PermissionDenied("Only an admin sees everyone's figures.")
        return Scope.for_everyone()
    if kind == Scope.TEAM:
        if not (user.is_admin or (user.is_manager and user.team_id == pk)):
            raise PermissionDenied("Managers see their own team's figures; recruiters their own.")
        team = Team.objects.filter(pk=pk).first()
        if team is None:
            raise Http404("No such team.")
        return Scope.for_team(team)
    if pk == user.pk:
        return Scope.for_recruiter(user)
    if not user.is_manager:
        raise PermissionDenied("Recruiters see their own figures only.")
    recruiter = User.objects.filter(pk=pk).first()
    if recruiter is None:
        raise Http404("No such recruiter.")
    if not user.is_admin and (user.team_id is None or recruiter.team_id != user.team_id):
        raise PermissionDenied("Managers see the figures of their own team's recruiters.")
    return Scope.for_recruiter(recruiter)


@dataclass(frozen=True)
class ScopeChoice:
    param: str
    label: str


def scope_choices(*, user: User, scope: Scope) -> list[ScopeChoice]:
    """The scopes `user` may pick (for the picker): an admin every team and everyone; a manager
    their team and its members; a recruiter only their own card. At most one query."""
    if user.is_admin:
        choices = [ScopeChoice(Scope.EVERYONE, "Everyone")]
        choices += [ScopeChoice(f"team:{team.pk}", team.name) for team in Team.objects.all()]
    elif user.is_manager and user.team_id:
        members = (
            scope.members
            if scope.kind == Scope.TEAM
            else tuple(User.objects.filter(team_id=user.team_id).order_by("first_name", "id"))
        )
        label = scope.team.name if scope.kind == Scope.TEAM else "My team"
        choices = [ScopeChoice(f"team:{user.team_id}", label)]
        choices += [ScopeChoice(f"recruiter:{member.pk}", str(member)) for member in members]
    else:
        choices = []
    if scope.param not in {choice.param for choice in choices}:
        choices.append(ScopeChoice(scope.param, scope.label))
    return choices
