from tests.followups.conftest import clock, outbox

__all__ = ["clock", "outbox"]
