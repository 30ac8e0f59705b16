"""How emails, phones and LinkedIn URLs are checked, and compared when looking for duplicates.
`email_normalize` is the one email rule: the import, the forms, the API and the services all
answer with it."""

import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

PHONE_KEY_DIGITS = 10
PHONE_MIN_DIGITS = 7


EMAIL_MAX_LENGTH = 254  # Contact.emails' column
# Plain addresses, a strict subset of what Django's validator accepts, checked without it: the
# validator's lazy regexes cost more than the rest of an imported row.
_PLAIN_EMAIL = re.compile(
    r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}"
)


def email_normalize(raw: str) -> str:
    """Stripped and lowercased, when it is an address Django's EmailValidator accepts (so
    ASCII before the @; an internationalised domain is fine) of at most 254 characters.
    Otherwise ValidationError saying which address and why."""
    email = (raw or "").strip().lower()
    if len(email) <= EMAIL_MAX_LENGTH and _PLAIN_EMAIL.fullmatch(email):
        return email
    given = (raw or "").strip()
    if len(email) > EMAIL_MAX_LENGTH:
        raise ValidationError(
            f"{given!r} is longer than {EMAIL_MAX_LENGTH} characters.", code="max_length"
        )
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError(f"{given!r} is not a valid email address.", code="invalid") from error
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
