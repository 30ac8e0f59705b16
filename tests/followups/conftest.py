from datetime import UTC, datetime

import pytest
import time_machine
from django.core import mail

from tests.followups.backends import ScriptedBackend

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    """The clock stands still at T0 until the test shifts it."""
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def outbox(settings):
    settings.EMAIL_BACKEND = "tests.followups.backends.ScriptedBackend"
    ScriptedBackend.failures = []
    mail.outbox = []
    yield mail.outbox
    ScriptedBackend.failures = []
