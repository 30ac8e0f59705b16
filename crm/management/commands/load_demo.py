import importlib
import importlib.util

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = (
        "Load Rapport's demo data: each app's demo.py, in layer order. Idempotent: a second run "
        "adds nothing. Refuses to run with production settings."
    )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo data is for development; DJANGO_ENV is production.")
        self.stdout.write("Loading demo data...")
        with transaction.atomic():
            for app in settings.RAPPORT_LAYERS:
                if importlib.util.find_spec(f"{app}.demo") is None:
                    continue
                importlib.import_module(f"{app}.demo").load(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Demo logins:"))
        for username, password, role in importlib.import_module("accounts.demo").logins():
            self.stdout.write(f"  {username:<12} {password:<14} {role}")
