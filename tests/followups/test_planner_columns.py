"""The planners write rows with raw INSERT ... SELECT statements, so the model's defaults do not
apply: each statement's column list must stay in step with its model. A column added to the model
that is NOT NULL without a database default, and not named by a planner, would make every run of
that planner fail; a column the model no longer has likewise."""

import importlib
import pkgutil
import re
from types import ModuleType

import pytest
from django.apps import apps
from django.db import models
from django.test.utils import isolate_apps

import followups.planners
from followups import services
from followups.models import Message

INSERT = re.compile(r"\bINSERT\s+INTO\s+(\w+)\s*\(([^)]*)\)", re.IGNORECASE)


def planner_modules() -> list[ModuleType]:
    """Every module of followups.planners, and followups.services (its "call instead" planner)."""
    names = [info.name for info in pkgutil.iter_modules(followups.planners.__path__)]
    modules = [importlib.import_module(f"followups.planners.{name}") for name in names]
    return [followups.planners, *modules, services]


def raw_inserts() -> dict[str, str]:
    """'module.NAME' -> the SQL, for every module-level string that inserts."""
    return {
        f"{module.__name__}.{name}": value
        for module in planner_modules()
        for name, value in vars(module).items()
        if not name.startswith("__")
        and isinstance(value, str)
        and re.search(r"\bINSERT\b", value, re.IGNORECASE)
    }


def insert_target(sql: str) -> tuple[str, list[str]]:
    """(table, columns) of an INSERT INTO table (columns) statement."""
    match = INSERT.search(sql)
    assert match is not None, f"not an INSERT INTO table (columns ...) statement:\n{sql}"
    return match[1], [column.strip() for column in match[2].split(",")]


def column_problems(model: type[models.Model], columns: list[str]) -> list[str]:
    """What is wrong with an INSERT of `columns` into `model`'s table (nothing: [])."""
    fields = {field.column: field for field in model._meta.concrete_fields}
    problems = [
        f"{column}: named twice" for column in sorted(set(columns)) if columns.count(column) > 1
    ]
    problems += [
        f"{column}: {model.__name__} has no such column"
        for column in columns
        if column not in fields
    ]
    for column, field in fields.items():
        generated = isinstance(field, models.AutoField)  # the id, from its sequence
        if column in columns or generated or field.null:
            continue
        if field.db_default is not models.NOT_PROVIDED:
            continue
        problems.append(f"{column}: NOT NULL without a database default, and not inserted")
    return problems


def model_of(table: str) -> type[models.Model]:
    by_table = {model._meta.db_table: model for model in apps.get_models()}
    assert table in by_table, f"no model has the table {table}"
    return by_table[table]


def test_every_planner_insert_is_found():
    found = {name: insert_target(sql)[0] for name, sql in raw_inserts().items()}

    # At least these; a planner added later is checked by the next test without a change here.
    assert {
        "followups.planners.messages.STATUS_UPDATES_SQL": "followups_message",
        "followups.planners.messages.CLOSURES_SQL": "followups_message",
        "followups.planners.messages.JOBS_CLOSED_SQL": "followups_message",
        "followups.planners.messages.DIGESTS_SQL": "followups_message",
        "followups.planners.followups.CADENCE_SQL": "followups_followup",
        "followups.planners.followups.CHASE_SQL": "followups_followup",
        "followups.services.CALL_INSTEAD_SQL": "followups_followup",
    }.items() <= found.items()


@pytest.mark.parametrize("name", sorted(raw_inserts()))
def test_planner_insert_columns_match_the_model(name):
    table, columns = insert_target(raw_inserts()[name])

    assert column_problems(model_of(table), columns) == []


# --- the check itself: Message with one more column ---------------------------------------------


@isolate_apps("followups")
def message_with(column: models.Field) -> type[models.Model]:
    """A copy of Message (same table, same columns) with `column` added as `priority`."""
    fields = {field.name: field.clone() for field in Message._meta.concrete_fields}
    meta = type("Meta", (), {"app_label": "followups", "db_table": Message._meta.db_table})
    namespace = {"__module__": __name__, "Meta": meta, **fields, "priority": column}
    return type("MessageWithPriority", (models.Model,), namespace)


def message_columns() -> list[str]:
    return insert_target(raw_inserts()["followups.planners.messages.STATUS_UPDATES_SQL"])[1]


def test_check_fails_on_a_new_not_null_column_without_a_database_default():
    model = message_with(models.IntegerField(default=0))

    assert column_problems(model, message_columns()) == [
        "priority: NOT NULL without a database default, and not inserted"
    ]


@pytest.mark.parametrize(
    "column",
    [models.IntegerField(db_default=0), models.IntegerField(null=True)],
    ids=["db_default", "nullable"],
)
def test_check_lets_a_new_column_with_a_database_default_or_nullable_be_left_out(column):
    assert column_problems(message_with(column), message_columns()) == []


def test_check_fails_on_a_column_left_out_or_one_the_model_lacks_or_one_named_twice():
    columns = [*(column for column in message_columns() if column != "kind"), "colour", "status"]

    assert column_problems(Message, columns) == [
        "status: named twice",
        "colour: Message has no such column",
        "kind: NOT NULL without a database default, and not inserted",
    ]
