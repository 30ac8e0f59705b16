"""Contacts' forms, one module per area: contact (new and edit, shared with relationships' new
contact), facts, organizations. Import from the module."""
