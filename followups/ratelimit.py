"""The ESP account's send rate, shared by every worker process: FOLLOWUPS_ESP_RATE messages a
second at most (0: no limit).

A generic cell rate algorithm in Redis: one key holds the theoretical arrival time of the next
send; each send reserves the next slot (1/rate after the last one) atomically, with Redis's own
clock, and waits until its slot. Sends are spaced evenly, so no one-second window ever holds more
than `rate` of them, whichever worker sends.
"""

import threading
import time

import redis
from django.conf import settings

KEY = "rapport:esp-rate"
# Returns how many microseconds the caller must wait for its slot.
_RESERVE = """
local now = redis.call('TIME')
local now_us = tonumber(now[1]) * 1000000 + tonumber(now[2])
local interval = tonumber(ARGV[1])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now_us then tat = now_us end
redis.call('SET', KEYS[1], tat + interval, 'PX', math.ceil(interval / 1000) + 60000)
return tat - now_us
"""

_client_lock = threading.Lock()
_client: "redis.Redis | None" = None
_script = None


def _reserve():
    global _client, _script
    with _client_lock:
        if _client is None:
            _client = redis.Redis.from_url(settings.REDIS_URL)
            _script = _client.register_script(_RESERVE)
    return _script


def esp_turn_wait() -> float:
    """Block until this send's turn under the shared rate; returns the seconds waited."""
    rate = settings.FOLLOWUPS_ESP_RATE
    if rate <= 0:
        return 0.0
    wait_us = int(_reserve()(keys=[KEY], args=[int(1_000_000 / rate)]))
    if wait_us > 0:
        time.sleep(wait_us / 1_000_000)
    return wait_us / 1_000_000
