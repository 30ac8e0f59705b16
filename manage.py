#!/bin/sh
# Django's command-line utility for Rapport. `./manage.py ...` needs no activated virtualenv: sh
# runs the line below, which starts this file again with the project's .venv/bin/python (python3
# when there is no .venv); Python reads that line as a string and carries on.
# fmt: off
''''[ -x "$(dirname -- "$0")/.venv/bin/python" ] && exec "$(dirname -- "$0")/.venv/bin/python" "$0" "$@"; exec python3 "$0" "$@" # '''  # noqa: E501
# fmt: on

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
