"""The Celery app. Configuration lives in settings (the CELERY_* names); tasks are discovered in
each app's tasks.py. Run workers with `celery -A crm worker` and exactly one `celery -A crm beat`.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")

app = Celery("crm")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
