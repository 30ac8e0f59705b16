"""Importing contacts from CSV with their owner: contacts.importing reads and writes the contacts;
this layer gives every new contact a relationship owned by the importer, and every contact the
import created or updated a row on its timeline ("Imported from Connections.csv by Rosa Reyes"),
in the same transaction, a batch at a time.
"""

from collections.abc import Callable, Sequence

from django.db import transaction

from accounts.models import User
from contacts import importing
from contacts.importing import ImportResult
from contacts.models import Contact, ContactImport
from relationships.models import Interaction
from relationships.services import TimelineEntry, interaction_bulk_log, relationship_bulk_create


def contacts_import(
    *,
    content: bytes | str,
    owner: User,
    dry_run: bool,
    file_name: str = "a CSV file",
    mapping: Sequence[str] | None = None,
    on_duplicate: str = ContactImport.OnDuplicate.SKIP,
    skip_invalid_rows: bool = False,
    on_progress: Callable[[str], None] | None = None,
) -> ImportResult:
    """Import a CSV of contacts owned by `owner`: all accepted rows or nothing (see
    contacts.importing.contact_import). A dry run writes nothing and says what would happen."""

    def relationships_create(contact_ids: list[int]) -> None:
        relationship_bulk_create(contact_ids=contact_ids, owner=owner)

    def timeline_write(contacts: list[tuple[int, int | None]], *, created: bool) -> None:
        verb = "Imported" if created else "Updated"
        interaction_bulk_log(
            entries=[
                TimelineEntry(
                    # Only the ids are needed: the rows are written in one insert.
                    contact=Contact(pk=contact_id, organization_id=organization_id),
                    kind=Interaction.Kind.OTHER,
                    direction=Interaction.Direction.INTERNAL,
                    summary=f"{verb} from {file_name} by {owner}"[:300],
                    recruiter=owner,
                )
                for contact_id, organization_id in contacts
            ]
        )

    return importing.contact_import(
        content=content,
        mapping=mapping,
        on_duplicate=on_duplicate,
        skip_invalid_rows=skip_invalid_rows,
        dry_run=dry_run,
        on_created=relationships_create,
        on_written=timeline_write,
        on_progress=on_progress,
        author=owner,
        lawful_basis_source=f"import {file_name}",
    )


@transaction.atomic
def contact_import_confirm(
    *, contact_import_id: int, owner: User, skip_invalid_rows: bool = False
) -> ContactImport:
    """Import a previewed file for real. The row lock makes a second click wait for the first
    and then find the file imported, instead of importing it twice."""
    contact_import = ContactImport.objects.select_for_update().get(
        pk=contact_import_id, created_by=owner
    )
    if contact_import.status != ContactImport.Status.PREVIEWED:
        return contact_import  # imported already, being read again, or unreadable
    result = contacts_import(
        content=contact_import.content,
        owner=owner,
        dry_run=False,
        file_name=contact_import.file_name,
        mapping=contact_import.mapping,
        on_duplicate=contact_import.on_duplicate,
        skip_invalid_rows=skip_invalid_rows,
    )
    return importing.contact_import_record(contact_import=contact_import, result=result)
