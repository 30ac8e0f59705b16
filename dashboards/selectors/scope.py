"""Whose figures (a Scope) and over which time (a Period). Both are plain values: build them
with the constructors below; who may see which scope is dashboards.permissions' business."""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from accounts.models import Team, User


@dataclass(frozen=True)
class Scope:
    """A team, everyone, or one recruiter. `members` are the rows of every card (ordered by
    name); `owner_ids` is what the figures are filtered by (None: everyone, unfiltered)."""

    kind: str  # "team", "everyone", "recruiter"
    label: str
    members: tuple[User, ...] = field(default=(), compare=False)
    team: Team | None = None
    recruiter: User | None = None

    TEAM = "team"
    EVERYONE = "everyone"
    RECRUITER = "recruiter"

    @classmethod
    def for_team(cls, team: Team) -> "Scope":
        """One query: the team's members (inactive ones too: their work still counts)."""
        members = tuple(User.objects.filter(team=team).order_by("first_name", "last_name", "id"))
        return cls(kind=cls.TEAM, label=team.name, members=members, team=team)

    @classmethod
    def for_everyone(cls) -> "Scope":
        """One query: the active users, each a row; totals count everyone's work."""
        members = tuple(
            User.objects.filter(is_active=True).order_by("first_name", "last_name", "id")
        )
        return cls(kind=cls.EVERYONE, label="Everyone", members=members)

    @classmethod
    def for_recruiter(cls, recruiter: User) -> "Scope":
        """No query: the recruiter's own card."""
        return cls(
            kind=cls.RECRUITER, label=str(recruiter), members=(recruiter,), recruiter=recruiter
        )

    @classmethod
    def parse(cls, param: str) -> tuple[str, int | None]:
        """("everyone", None), ("team", id) or ("recruiter", id); ValueError for anything else."""
        if param == cls.EVERYONE:
            return cls.EVERYONE, None
        kind, _, raw_id = param.partition(":")
        if kind not in (cls.TEAM, cls.RECRUITER) or not raw_id.isdigit() or len(raw_id) > 18:
            raise ValueError(f"not a dashboard scope: {param!r}")
        return kind, int(raw_id)

    @classmethod
    def for_param(cls, param: str) -> "Scope":
        """The scope `param` names, whoever asks (for the workers; pages and the API go
        through dashboards.permissions). LookupError when its team or recruiter is gone."""
        kind, pk = cls.parse(param)
        if pk is None:
            return cls.for_everyone()
        if kind == cls.TEAM:
            return cls.for_team(Team.objects.get(pk=pk))
        return cls.for_recruiter(User.objects.get(pk=pk))

    @property
    def owner_ids(self) -> list[int] | None:
        if self.kind == self.EVERYONE:
            return None
        return [member.pk for member in self.members]

    @property
    def param(self) -> str:
        """The scope as one value: "team:<id>", "recruiter:<id>" or "everyone"."""
        if self.kind == self.TEAM and self.team is not None:
            return f"team:{self.team.pk}"
        if self.kind == self.RECRUITER and self.recruiter is not None:
            return f"recruiter:{self.recruiter.pk}"
        return self.EVERYONE

    def query(self) -> dict[str, str]:
        """The query-string parameters that select this scope again."""
        return {"scope": self.param}


@dataclass(frozen=True)
class Period:
    """[start, end): local midnights. Figures over time count what happened (or fell due) in
    it; figures "now" ignore it."""

    key: str  # "week", "4weeks", "quarter", "custom"
    start: dt.datetime
    end: dt.datetime
    label: str

    WEEK = "week"
    FOUR_WEEKS = "4weeks"
    QUARTER = "quarter"
    CUSTOM = "custom"
    CHOICES = (
        (WEEK, "This week"),
        (FOUR_WEEKS, "Last 4 weeks"),
        (QUARTER, "Last quarter"),
        (CUSTOM, "Custom dates"),
    )

    @classmethod
    def this_week(cls, now: dt.datetime) -> "Period":
        monday = _monday(now)
        return cls(
            cls.WEEK, _midnight(monday), _midnight(monday + dt.timedelta(days=7)), "This week"
        )

    @classmethod
    def last_4_weeks(cls, now: dt.datetime) -> "Period":
        """This week and the three before it."""
        monday = _monday(now)
        return cls(
            cls.FOUR_WEEKS,
            _midnight(monday - dt.timedelta(days=21)),
            _midnight(monday + dt.timedelta(days=7)),
            "Last 4 weeks",
        )

    @classmethod
    def last_quarter(cls, now: dt.datetime) -> "Period":
        """The calendar quarter before the current one."""
        today = timezone.localtime(now).date()
        this_quarter = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        if this_quarter.month == 1:
            first = dt.date(this_quarter.year - 1, 10, 1)
        else:
            first = dt.date(this_quarter.year, this_quarter.month - 3, 1)
        label = f"Q{(first.month - 1) // 3 + 1} {first.year}"
        return cls(
            cls.QUARTER, _midnight(first), _midnight(this_quarter), f"Last quarter ({label})"
        )

    @classmethod
    def custom(cls, first_day: dt.date, last_day: dt.date) -> "Period":
        """From the first day to the last, both included."""
        return cls(
            cls.CUSTOM,
            _midnight(first_day),
            _midnight(last_day + dt.timedelta(days=1)),
            f"{first_day:%d %b %Y} – {last_day:%d %b %Y}",
        )

    @classmethod
    def named(
        cls,
        key: str,
        *,
        now: dt.datetime,
        first_day: dt.date | None = None,
        last_day: dt.date | None = None,
    ) -> "Period":
        if key == cls.CUSTOM and first_day and last_day:
            return cls.custom(first_day, last_day)
        if key == cls.FOUR_WEEKS:
            return cls.last_4_weeks(now)
        if key == cls.QUARTER:
            return cls.last_quarter(now)
        return cls.this_week(now)

    def query(self) -> dict[str, str]:
        if self.key == self.CUSTOM:
            last_day = timezone.localtime(self.end).date() - dt.timedelta(days=1)
            return {
                "period": self.key,
                "start": timezone.localtime(self.start).date().isoformat(),
                "end": last_day.isoformat(),
            }
        return {"period": self.key}


def _monday(now: dt.datetime) -> dt.date:
    today = timezone.localtime(now).date()
    return today - dt.timedelta(days=today.weekday())


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
