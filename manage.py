#!/usr/bin/env python
"""Django's command-line utility for Rapport."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018 - load the settings now, to report a bad configuration
    except ImproperlyConfigured as error:
        sys.exit(f"Rapport cannot start: {error}")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
