"""The bench's email backend: anymail's test backend without a shared outbox, safe for the
relay's sending threads."""

from concurrent.futures import ThreadPoolExecutor

from django.core import mail
from django.core.mail import EmailMessage, get_connection


def test_sends_from_many_threads_each_get_their_own_id_and_keep_no_outbox():
    mail.outbox = []
    backend = get_connection("bench.backends.BenchEmailBackend")

    def send(n: int) -> str:
        email = EmailMessage("Hello", "Body", "rosa@agency.example", [f"c{n}@mail.example"])
        assert backend.send_messages([email]) == 1
        return email.anymail_status.message_id

    with ThreadPoolExecutor(max_workers=16) as pool:
        ids = list(pool.map(send, range(800)))

    assert len(set(ids)) == 800
    assert max(ids) - min(ids) == 799
    assert mail.outbox == []
