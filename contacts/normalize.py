"""How emails, phones and LinkedIn URLs are compared when looking for duplicates."""

import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

PHONE_KEY_DIGITS = 10
PHONE_MIN_DIGITS = 7


def email_normalize(raw: str) -> str:
    """Lowercase and strip; raise ValidationError when it is not an email address."""
    email = (raw or "").strip().lower()
    validate_email(email)
    return email


def phone_key(raw: str) -> str:
    """The last ten digits: "+44 20 7946 0958" and "020 7946 0958" share a key.
    Returns "" for numbers too short to compare."""
    digits = re.sub(r"\D", "", raw or "")
    if len(digits) < PHONE_MIN_DIGITS:
        return ""
    return digits[-PHONE_KEY_DIGITS:]


def linkedin_key(raw: str) -> str:
    """ "https://www.linkedin.com/in/Ana-Smith/?trk=x" -> "in/ana-smith"; "" when not a profile."""
    value = (raw or "").strip()
    if not value:
        return ""
    if "://" not in value:
        value = "https://" + value
    parts = urlsplit(value)
    host = parts.netloc.lower().removeprefix("www.")
    if not (host == "linkedin.com" or host.endswith(".linkedin.com")):
        return ""
    segments = [segment for segment in parts.path.lower().split("/") if segment]
    if len(segments) < 2 or segments[0] not in {"in", "pub"}:
        return ""
    return f"{segments[0]}/{segments[1]}"


def linkedin_url_validate(raw: str) -> str:
    """The URL as given, with https:// added when it has no scheme; "" stays ""."""
    value = (raw or "").strip()
    if not value:
        return ""
    if not linkedin_key(value):
        raise ValidationError(
            "Not a LinkedIn profile URL (expected https://www.linkedin.com/in/<name>)."
        )
    return value if "://" in value else "https://" + value


def domain_normalize(raw: str) -> str:
    value = (raw or "").strip().lower()
    if "://" in value:
        value = urlsplit(value).netloc
    return value.removeprefix("www.").rstrip("/")
