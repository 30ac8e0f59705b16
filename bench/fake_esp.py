"""A loopback HTTP server that answers like Postmark's send API, for the bench and the tests.

anymail's real Postmark backend talks to it (ANYMAIL_POSTMARK_API_URL), so building the JSON
payload, HTTP with connection reuse and anymail's error mapping are all in what is measured. It
answers each `POST /email` after a configurable latency, with a share of 429s (with Retry-After)
and of 5xx (and only 503s for `--burst-seconds` after a SIGUSR1), and counts what it accepted by
the message's idempotency header (X-Rapport-Message), so a run can prove every message was
accepted exactly once.

In a process of its own (the bench runs it so that the workers' load is not in its figures):

    python -m bench.fake_esp --port 0 --latency 0.08 --share-429 0.02 --share-5xx 0.01 \
        --log /tmp/esp.log --ready /tmp/esp.port

`--log` gets one line per accepted message: "<unix time> <idempotency key>"; `--ready` the port,
written once the server listens. In a test, `FakeEsp(...)` runs it on a thread of the test.
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

KEY_HEADER = "X-Rapport-Message"


@dataclass
class Behaviour:
    latency: float = 0.08
    share_429: float = 0.0
    share_5xx: float = 0.0
    retry_after: int = 2
    seed: int = 7
    # Addresses the ESP refuses with Postmark's 406 "inactive recipient" (a permanent 4xx).
    refused: frozenset[str] = frozenset()
    # For tests: the answers to the first requests, in order (200, 429, 503, ...), before the
    # shares apply; and request number -> seconds to hold that request before answering.
    script: tuple[int, ...] = ()
    stall: dict[int, float] = field(default_factory=dict)
    # Every request answers 503 until this time.time() (a burst: SIGUSR1 starts one, see main).
    burst_until: float = 0.0
    burst_seconds: float = 2.0


@dataclass
class Ledger:
    """What the server answered: accepted sends by key, with when they arrived."""

    accepted: Counter = field(default_factory=Counter)
    accepted_at: list[tuple[float, str]] = field(default_factory=list)
    # Every request to /email: when it arrived (time.time()) and the status it was answered.
    answers: list[tuple[float, int]] = field(default_factory=list)
    requests: int = 0
    throttled: int = 0
    errors: int = 0
    refused: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    log_path: Path | None = None

    def accept(self, key: str) -> None:
        moment = time.time()
        with self.lock:
            self.accepted[key] += 1
            self.accepted_at.append((moment, key))
            if self.log_path is not None:
                with self.log_path.open("a") as log:
                    log.write(f"{moment:.6f} {key}\n")

    def max_per_second(self) -> int:
        """The most sends accepted in any one-second window (sliding, from the arrival times)."""
        with self.lock:
            moments = sorted(moment for moment, _ in self.accepted_at)
        best, start = 0, 0
        for end, moment in enumerate(moments):
            while moment - moments[start] >= 1.0:
                start += 1
            best = max(best, end - start + 1)
        return best


def _handler(behaviour: Behaviour, ledger: Ledger, chance: random.Random):
    chance_lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive: the client reuses its connection

        def log_message(self, format, *args):  # noqa: A002 - the base class's name
            return

        def do_POST(self):  # noqa: N802 - the base class's name
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            if len(body) < length or not body:
                # The client died mid-request (a killed worker): nothing to send, nobody to answer.
                self.close_connection = True
                return
            self._arrived = time.time()
            with ledger.lock:
                ledger.requests += 1
                number = ledger.requests
            time.sleep(behaviour.latency + behaviour.stall.get(number, 0.0))
            if self.path.rstrip("/") != "/email":
                self._answer(404, {"ErrorCode": 404, "Message": f"No endpoint {self.path}"})
                return
            payload = json.loads(body or b"{}")
            with chance_lock:
                roll = chance.random()
            if time.time() < behaviour.burst_until:
                answer = 503
            elif number <= len(behaviour.script):
                answer = behaviour.script[number - 1]
            elif roll < behaviour.share_429:
                answer = 429
            elif roll < behaviour.share_429 + behaviour.share_5xx:
                answer = 503
            else:
                answer = 200
            if answer == 429:
                with ledger.lock:
                    ledger.throttled += 1
                self._answer(
                    429,
                    {"ErrorCode": 429, "Message": "Rate limit exceeded"},
                    {"Retry-After": str(behaviour.retry_after)},
                )
                return
            if answer >= 500:
                with ledger.lock:
                    ledger.errors += 1
                self._answer(answer, {"ErrorCode": answer, "Message": "Service unavailable"})
                return
            to = payload.get("To", "")
            if to.lower() in behaviour.refused:
                with ledger.lock:
                    ledger.refused += 1
                self._answer(
                    422,
                    {
                        "ErrorCode": 406,
                        "Message": "You tried to send to recipient(s) that have been marked as "
                        f"inactive. Found inactive addresses: {to}. Inactive recipients are ones "
                        "that have generated a hard bounce or a spam complaint.",
                    },
                )
                return
            headers = {item["Name"]: item["Value"] for item in payload.get("Headers", [])}
            ledger.accept(headers.get(KEY_HEADER, ""))
            self._answer(
                200,
                {
                    "To": to,
                    "SubmittedAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    "MessageID": str(uuid.uuid4()),
                    "ErrorCode": 0,
                    "Message": "OK",
                },
            )

        def _answer(self, status: int, body: dict, headers: dict | None = None) -> None:
            with ledger.lock:
                ledger.answers.append((self._arrived, status))
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

    return Handler


class FakeEsp:
    """The server on a background thread: `with FakeEsp(...) as esp: esp.api_url`."""

    def __init__(
        self, behaviour: Behaviour | None = None, *, log_path: Path | None = None, port: int = 0
    ):
        self.behaviour = behaviour or Behaviour()
        self.ledger = Ledger(log_path=log_path)
        handler = _handler(self.behaviour, self.ledger, random.Random(self.behaviour.seed))
        self.server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.server.daemon_threads = True
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def __enter__(self) -> FakeEsp:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=10)


def backend_settings(api_url: str) -> dict[str, str]:
    """The environment that points anymail's Postmark backend at the fake ESP."""
    return {
        "EMAIL_BACKEND": "anymail.backends.postmark.EmailBackend",
        "ANYMAIL_POSTMARK_SERVER_TOKEN": "fake-esp-token",
        "ANYMAIL_POSTMARK_API_URL": api_url,
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.fake_esp", description=__doc__)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--latency", type=float, default=0.08)
    parser.add_argument("--share-429", type=float, default=0.0)
    parser.add_argument("--share-5xx", type=float, default=0.0)
    parser.add_argument("--retry-after", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--log", type=Path, required=True)
    parser.add_argument("--ready", type=Path, required=True)
    parser.add_argument("--seconds", type=float, default=3600, help="stop after this long")
    parser.add_argument(
        "--burst-seconds", type=float, default=2.0, help="SIGUSR1: answer 503 for this long"
    )
    args = parser.parse_args()
    behaviour = Behaviour(
        latency=args.latency,
        share_429=args.share_429,
        share_5xx=args.share_5xx,
        retry_after=args.retry_after,
        seed=args.seed,
        burst_seconds=args.burst_seconds,
    )

    def burst(signum, frame) -> None:
        behaviour.burst_until = time.time() + behaviour.burst_seconds

    signal.signal(signal.SIGUSR1, burst)
    args.log.write_text("")
    esp = FakeEsp(behaviour, log_path=args.log, port=args.port)
    with esp:
        args.ready.write_text(str(esp.port))
        time.sleep(args.seconds)


if __name__ == "__main__":
    main()
