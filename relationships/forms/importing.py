"""Forms of the CSV import: the upload, then the column mapping of the preview."""

from typing import Any

from django import forms
from django.conf import settings

from contacts.importing import TARGETS
from contacts.importing.reading import bytes_over_limit_error
from contacts.models import ContactImport
from core.forms import BootstrapForm

NOT_IMPORTED = "— not imported —"


class ImportUploadForm(BootstrapForm):
    file = forms.FileField(
        label="CSV file",
        help_text="UTF-8 or UTF-16, comma, semicolon or tab separated, up to "
        f"{settings.CONTACT_IMPORT_MAX_BYTES // 1024 // 1024} MB. "
        "LinkedIn's Connections.csv works as exported.",
    )
    on_duplicate = forms.ChoiceField(
        label="A row matching a contact already in Rapport",
        choices=ContactImport.OnDuplicate.choices,
        initial=ContactImport.OnDuplicate.SKIP,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Bigger files go through the command. The upload is counted again as it is read.
        limit = settings.CONTACT_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(bytes_over_limit_error(upload.size, limit))
        return upload


class ImportMappingForm(BootstrapForm):
    """One field per column of the file (`column_0`, `column_1`…) and the duplicate policy."""

    on_duplicate = forms.ChoiceField(
        label="Rows matching a contact already in Rapport",
        choices=ContactImport.OnDuplicate.choices,
    )

    def __init__(self, *args: Any, headers: list[str], mapping: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", NOT_IMPORTED), *TARGETS.items()]
        self.headers = headers
        for index, header in enumerate(headers):
            field = forms.ChoiceField(
                label=header or f"Column {index + 1}",
                choices=choices,
                required=False,
                initial=mapping[index] if index < len(mapping) else "",
            )
            field.widget.attrs["class"] = "form-select form-select-sm"
            self.fields[f"column_{index}"] = field

    def column_fields(self) -> list[forms.BoundField]:
        return [self[f"column_{index}"] for index in range(len(self.headers))]

    def mapping(self) -> list[str]:
        return [self.cleaned_data[f"column_{index}"] for index in range(len(self.headers))]
