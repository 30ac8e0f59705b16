# Load the Celery app with Django, so that `delay_on_commit()` works from the web process.
from crm.celery import app as celery_app

__all__ = ["celery_app"]
