from django.db import connection


def execute(sql: str, params: dict) -> int:
    """Run one planner statement; returns how many rows it inserted."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount
