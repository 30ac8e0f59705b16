"""The API's shapes for the dashboards: the query (scope and period, as the pages take them), the
overview's figures, the weekly trends and a figure's records."""

import datetime as dt

from rest_framework import serializers

from dashboards.forms import DashboardFilterForm
from dashboards.permissions import ScopeChoice
from dashboards.selectors import Overview, Period, Scope, Trends


class DashboardQuerySerializer(serializers.Serializer):
    """The pages' parameters. A custom period needs both days, checked as the page's form does."""

    scope = serializers.CharField(
        required=False,
        help_text='"team:<id>", "recruiter:<id>" or "everyone"; your default without it.',
    )
    period = serializers.ChoiceField(choices=Period.CHOICES, default=Period.WEEK)
    start = serializers.DateField(required=False, help_text="A custom period's first day.")
    end = serializers.DateField(required=False, help_text="A custom period's last day (included).")

    def validate(self, attrs: dict) -> dict:
        form = DashboardFilterForm(
            {key: value for key, value in self.initial_data.items() if key != "scope"},
            scope_choices=[ScopeChoice("", "")],
        )
        if not form.is_valid():
            raise serializers.ValidationError(form.errors)
        return attrs

    def period_for(self, now: dt.datetime) -> Period:
        data = self.validated_data
        return Period.named(
            data["period"], now=now, first_day=data.get("start"), last_day=data.get("end")
        )


class FigureQuerySerializer(DashboardQuerySerializer):
    organization = serializers.IntegerField(
        required=False, min_value=1, help_text="Only this client's records."
    )


class ScopeSerializer(serializers.Serializer):
    param = serializers.CharField()
    kind = serializers.ChoiceField(choices=[Scope.TEAM, Scope.RECRUITER, Scope.EVERYONE])
    label = serializers.CharField()


class PeriodSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField(help_text="Excluded.")


class RowValueSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    value = serializers.FloatField(allow_null=True)


class FigureValueSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField()
    measure = serializers.CharField()
    total = serializers.FloatField(allow_null=True, help_text="None: no rows to measure.")
    owners = RowValueSerializer(many=True, help_text="Each member of the scope.")
    organizations = RowValueSerializer(
        many=True, help_text="For per-client figures: the 10 clients with the most counted."
    )


class OverviewSerializer(serializers.Serializer):
    scope = ScopeSerializer()
    period = PeriodSerializer()
    now = serializers.DateTimeField()
    figures = FigureValueSerializer(many=True)

    @staticmethod
    def shape(overview: Overview) -> dict:
        members = overview.scope.members
        figures = []
        for key, values in overview.values.items():
            figure = values.figure
            organizations = []
            if figure.by_organization:
                organizations = [
                    {"id": pk, "name": name, "value": values.organization(pk)}
                    for pk, name in overview.organizations.items()
                ]
            figures.append(
                {
                    "key": key,
                    "label": figure.label,
                    "unit": figure.unit,
                    "measure": figure.measure,
                    "total": values.total,
                    "owners": [
                        {"id": m.pk, "name": str(m), "value": values.owner(m.pk)} for m in members
                    ],
                    "organizations": organizations,
                }
            )
        return {
            "scope": overview.scope,
            "period": overview.period,
            "now": overview.now,
            "figures": figures,
        }


class SeriesSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField()
    values = serializers.ListField(
        child=serializers.FloatField(allow_null=True), help_text="One a week, as `weeks`."
    )


class TrendsSerializer(serializers.Serializer):
    scope = ScopeSerializer()
    weeks = serializers.ListField(child=serializers.DateField(), help_text="Each week's Monday.")
    series = SeriesSerializer(many=True)

    @staticmethod
    def shape(trends: Trends) -> dict:
        return {"scope": trends.scope, "weeks": trends.weeks, "series": trends.series}


class FigureRecordSerializer(serializers.Serializer):
    """One record behind a figure: its source's columns (the same as the page's CSV reads), with
    durations in seconds. Every record has `key` (unique in the list) and the names of its
    contact, job, client and owner."""

    key = serializers.CharField()
    contact_name = serializers.CharField(allow_null=True)
    job_title = serializers.CharField(allow_null=True)
    organization_name = serializers.CharField(allow_null=True)
    owner_name = serializers.CharField(allow_null=True)

    def to_representation(self, row: dict) -> dict:
        return {
            name: value.total_seconds() if isinstance(value, dt.timedelta) else value
            for name, value in row.items()
        }
