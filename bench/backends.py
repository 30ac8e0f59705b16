"""The benchmark's email backend: anymail's test backend (only the ESP's network is faked),
without its in-memory outbox.

anymail's test backend appends every message to `django.core.mail.outbox` and takes the
message's id from its place in that list. In a worker sending 100,000 messages the list grows
without end and every id is a linear search; and the relay sends from several threads, so a
backend that emptied the shared list between sends made a neighbour's lookup fail
("... is not in list"): that send counted as an ESP error and was retried after the backoff,
and the run's figure waited for it. Here each message gets its id from a counter, and nothing
is shared but the counter."""

import itertools

from anymail.backends.test import EmailBackend as AnymailTestBackend
from anymail.message import AnymailRecipientStatus

_ids = itertools.count(1)  # next() on a count is atomic under the GIL


class BenchEmailBackend(AnymailTestBackend):
    def post_to_esp(self, payload, message):
        """The test backend's answer, "sent" for every recipient, without its outbox."""
        message.anymail_test_params = payload.get_params()
        status = AnymailRecipientStatus(message_id=next(_ids), status="sent")
        return {"recipient_status": dict.fromkeys(payload.recipient_emails, status)}
