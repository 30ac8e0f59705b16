"""Email backends for the tests: anymail's test backend (only the ESP's network is faked), with
scripted ESP errors, or recording every send to a file so another process can be checked."""

import os
from pathlib import Path

import requests
from anymail.backends.test import EmailBackend as AnymailTestBackend
from anymail.exceptions import AnymailRequestsAPIError


def esp_error(status: int, reason: str) -> AnymailRequestsAPIError:
    """The error anymail raises when the ESP's API answers `status`."""
    response = requests.Response()
    response.status_code = status
    response.reason = reason
    response._content = b'{"message": "%s"}' % reason.encode()
    return AnymailRequestsAPIError("ESP API call failed", response=response)


class ScriptedBackend(AnymailTestBackend):
    """Raises the exceptions queued in `failures` (one per send, in order), then sends."""

    failures: list[Exception] = []

    def post_to_esp(self, payload, message):
        if ScriptedBackend.failures:
            raise ScriptedBackend.failures.pop(0)
        return super().post_to_esp(payload, message)


class RecordingBackend(AnymailTestBackend):
    """For a worker process: appends each sent message's key to RELAY_RECORD_FILE. With
    RELAY_HOLD_AT=N and RELAY_GATE (a named pipe), the N-th send then blocks reading the pipe, so a
    test can kill the worker at a known point in the middle of a batch."""

    sends = 0

    def post_to_esp(self, payload, message):
        response = super().post_to_esp(payload, message)
        with Path(os.environ["RELAY_RECORD_FILE"]).open("a") as record:
            record.write(message.extra_headers["X-Rapport-Message"] + "\n")
            record.flush()
            os.fsync(record.fileno())
        RecordingBackend.sends += 1
        if str(RecordingBackend.sends) == os.environ.get("RELAY_HOLD_AT"):
            with open(os.environ["RELAY_GATE"]) as gate:  # blocks until a writer opens it
                gate.read()
        return response
