"""Relationships' forms, one module per area: contact (the list's filters, the new contact),
handoffs, importing, merge, timeline. Import from the module."""
