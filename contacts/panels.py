"""The panel and link registries of the pages contacts owns. Higher apps register into them in
their AppConfig.ready() (see core/panels.py): the timeline and relationship (relationships),
candidacies (jobs), follow-ups (followups); the merge and hand-off actions and the full list of an
organization's people (relationships)."""

from core.panels import LinkRegistry, PanelRegistry

# The contact page: subject is the Contact.
CONTACT_PAGE = PanelRegistry("contact_page")
# The organization page: subject is the Organization.
ORGANIZATION_PAGE = PanelRegistry("organization_page")
# The printable pre-call brief: subject is the Contact.
CONTACT_BRIEF = PanelRegistry("contact_brief")

# Sections of the search page's results below contacts and organizations: subject is the query
# (never empty). Market registers its notes here.
SEARCH_RESULTS = PanelRegistry("search_results")

# The contact page's actions beside Edit and Brief: subject is the Contact. The link named
# "merge" (if any) also ends the warning about a possible duplicate after an edit.
CONTACT_ACTIONS = LinkRegistry("contact_actions")
# Under the organization page's people when it shows only the first ones: subject is the
# Organization.
ORGANIZATION_PEOPLE = LinkRegistry("organization_people")
