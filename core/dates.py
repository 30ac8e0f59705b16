"""How a day is written in sentences the product stores or shows: "2 Mar 2026"."""

from datetime import date, datetime

from django.utils import dateformat, timezone


def day_label(moment: date | datetime) -> str:
    """ "2 Mar 2026": the day of `moment`, in the project's time zone for a datetime."""
    if isinstance(moment, datetime):
        moment = timezone.localtime(moment)
    return dateformat.format(moment, "j M Y")
