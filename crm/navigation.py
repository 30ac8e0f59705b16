"""Which menu section a page belongs to, for the active item of the main menu (base.html)."""

from django.conf import settings
from django.http import HttpRequest

# view name (namespace:name) -> section; else the namespace's section, else none.
SECTION_BY_VIEW = {
    "home": "home",
    "followups:followup-new": "contacts",
    "followups:job-policy": "jobs",
    "followups:template-list": "admin",
    "followups:template-edit": "admin",
    "followups:template-preview": "admin",
    "followups:policy": "admin",
    "status": "admin",
    "status-ping": "admin",
    "dev-mailbox": "admin",
    "dev-mailbox-reply": "admin",
    "followups:one-off-email": "contacts",
    "market:contact-notes": "contacts",
    "contact-history": "contacts",
    "job-history": "jobs",
    "account-tokens": "account",
    "account-token-revoke": "account",
}
SECTION_BY_NAMESPACE = {
    "contacts": "contacts",
    "relationships": "contacts",
    "jobs": "jobs",
    "market": "market",
    "followups": "outbox",
    "dashboards": "dashboards",
    # The retention review's actions, from My day (crm.privacy.retention).
    "retention": "home",
    # A person's data (export, erasure), from their contact page.
    "privacy": "contacts",
}
# Relationships' handoff pages are their own section.
SECTION_BY_PREFIX = {"relationships:handoff-": "handoffs"}


def nav_section(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return ""
    view_name = match.view_name
    if view_name in SECTION_BY_VIEW:
        return SECTION_BY_VIEW[view_name]
    for prefix, section in SECTION_BY_PREFIX.items():
        if view_name.startswith(prefix):
            return section
    return SECTION_BY_NAMESPACE.get(match.namespace, "")


def navigation(request: HttpRequest) -> dict:
    """Template context processor: the main menu's active section, and whether it offers the
    development mailbox (DEBUG only)."""
    return {"nav_section": nav_section(request), "nav_show_mailbox": settings.DEBUG}
