"""The benchmark's email backend: anymail's test backend (only the ESP's network is faked),
without its ever-growing in-memory outbox, which a worker sending 100,000 messages would search
for every message id (quadratic)."""

from anymail.backends.test import EmailBackend as AnymailTestBackend
from django.core import mail


class BenchEmailBackend(AnymailTestBackend):
    def post_to_esp(self, payload, message):
        mail.outbox = []
        return super().post_to_esp(payload, message)
