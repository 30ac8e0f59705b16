"""Relationships' reads, shared by pages and the API: `from relationships import selectors`, then
`selectors.contact_list(...)`. One module per area: contacts (the list, the timeline,
connections), handoffs, merge."""

from core.cursors import InvalidCursor
from relationships.selectors.contacts import (
    CONTACT_PAGE_SIZE,
    TIMELINE_LIMIT,
    ContactFilters,
    ContactPage,
    connection_list,
    contact_cursor_decode,
    contact_cursor_encode,
    contact_list,
    contact_queryset,
    interaction_list,
    organization_interaction_list,
    relationship_get,
)
from relationships.selectors.handoffs import (
    HANDOFF_MOVED_LIMIT,
    HANDOFF_OPTION_LIMIT,
    ContactOptions,
    HandoffMoved,
    handoff_contact_option_list,
    handoff_get,
    handoff_list,
    handoff_moved_list,
    relationship_owned_count,
    relationship_owner_id,
)
from relationships.selectors.merge import (
    MERGE_SEARCH_LIMIT,
    contact_exists,
    contact_merge_candidate_list,
    contact_merge_pair_list,
)

__all__ = [
    "CONTACT_PAGE_SIZE",
    "HANDOFF_MOVED_LIMIT",
    "HANDOFF_OPTION_LIMIT",
    "MERGE_SEARCH_LIMIT",
    "TIMELINE_LIMIT",
    "ContactFilters",
    "ContactOptions",
    "ContactPage",
    "HandoffMoved",
    "InvalidCursor",
    "connection_list",
    "contact_cursor_decode",
    "contact_cursor_encode",
    "contact_exists",
    "contact_list",
    "contact_merge_candidate_list",
    "contact_merge_pair_list",
    "contact_queryset",
    "handoff_contact_option_list",
    "handoff_get",
    "handoff_list",
    "handoff_moved_list",
    "interaction_list",
    "organization_interaction_list",
    "relationship_get",
    "relationship_owned_count",
    "relationship_owner_id",
]
