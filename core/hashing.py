"""Keyed hashes: HMAC-SHA256 under a key derived from SECRET_KEY, one namespace per use, so a
value hashed for one purpose (an unsubscribe token, an erased address on the suppression list)
never matches one hashed for another, and nobody without SECRET_KEY can test a guess."""

import hashlib
import hmac

from django.conf import settings


def keyed_hash(namespace: bytes, value: bytes) -> bytes:
    """HMAC-SHA256 of `namespace:value` under SECRET_KEY."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, namespace + b":" + value, hashlib.sha256).digest()
