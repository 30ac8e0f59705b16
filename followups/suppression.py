"""Which addresses are suppressed: by the address, or by its keyed hash, which is all that is
left of an erased person's addresses (crm.privacy). Every check before mailing asks here."""

from collections.abc import Iterable

from django.db.models import Q

from core.hashing import keyed_hash
from followups.models import Suppression


def email_hash(address: str) -> str:
    """The keyed hash an erased address is kept under (hex): the same for the same address
    whatever its case or spaces, unguessable without SECRET_KEY."""
    return keyed_hash(b"followups.suppression.email", address.strip().lower().encode()).hex()


def suppressed_among(addresses: Iterable[str]) -> set[str]:
    """The addresses (lowercased) among `addresses` that must not be mailed, in one query."""
    by_hash = {email_hash(address): address.strip().lower() for address in addresses if address}
    if not by_hash:
        return set()
    found = Suppression.objects.filter(
        Q(email__in=by_hash.values()) | Q(email_hash__in=by_hash.keys())
    ).values_list("email", "email_hash")
    return {email if email else by_hash[hashed] for email, hashed in found}


def is_suppressed(address: str) -> bool:
    return bool(suppressed_among([address]))
