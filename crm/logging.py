"""Logging helpers for LOGGING in crm/settings.py."""

import logging


class ClientErrorWithoutTraceback(logging.Filter):
    """A 4xx that Django logs (a 403 from PermissionDenied, a 404) is the client's mistake, not
    ours: one line, no traceback. 5xx keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
        return True
