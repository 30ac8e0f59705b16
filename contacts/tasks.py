from celery import shared_task

from contacts.importing.staging import contact_import_files_expire


@shared_task(name="contacts.import_files_expire")
def import_files_expire() -> int:
    return contact_import_files_expire()
