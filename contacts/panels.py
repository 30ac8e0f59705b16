"""The panel registries of the pages contacts owns. Higher apps register into them in their
AppConfig.ready() (see core/panels.py): the timeline and relationship (relationships), candidacies
(jobs), follow-ups (followups)."""

from core.panels import PanelRegistry

# The contact page: subject is the Contact.
CONTACT_PAGE = PanelRegistry("contact_page")
# The organization page: subject is the Organization.
ORGANIZATION_PAGE = PanelRegistry("organization_page")
# The printable pre-call brief: subject is the Contact.
CONTACT_BRIEF = PanelRegistry("contact_brief")
