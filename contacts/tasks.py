from celery import shared_task

from contacts.importing.previewing import contact_import_read
from contacts.importing.staging import contact_import_files_expire


@shared_task(name="contacts.import_files_expire")
def import_files_expire() -> int:
    return contact_import_files_expire()


@shared_task(name="contacts.import_preview")
def import_preview(contact_import_id: int) -> str | None:
    """Read and check an upload for its preview; the status it is left in (None: nothing to
    read, another run had it)."""
    contact_import = contact_import_read(contact_import_id=contact_import_id)
    return contact_import.status if contact_import else None
