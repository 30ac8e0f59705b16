"""CSV import of contacts: reading (decoding, header, mapping, row checks), writing (set-based,
in batches, all or nothing), staging (an upload kept between preview and confirmation) and
previewing (the dry run of a kept upload, in the worker, with its progress).

Nothing here knows about relationships: relationships.importing gives the new contacts an owner
through the `on_created` hook of contact_import.
"""

from contacts.importing.previewing import contact_import_read
from contacts.importing.reading import (
    ENCODING_ERROR,
    TARGETS,
    ImportFileError,
    RowIssue,
    mapping_guess,
    mapping_problems,
)
from contacts.importing.staging import (
    contact_import_record,
    contact_import_remap,
    contact_import_reread,
    contact_import_stage,
)
from contacts.importing.writing import BATCH_SIZE, ImportResult, contact_import

__all__ = [
    "BATCH_SIZE",
    "ENCODING_ERROR",
    "TARGETS",
    "ImportFileError",
    "ImportResult",
    "RowIssue",
    "contact_import",
    "contact_import_read",
    "contact_import_record",
    "contact_import_remap",
    "contact_import_reread",
    "contact_import_stage",
    "mapping_guess",
    "mapping_problems",
]
