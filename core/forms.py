"""Form helpers shared by every app's pages."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

WIDGET_CLASSES: dict[type[forms.Widget], str] = {
    forms.CheckboxInput: "form-check-input",
    forms.CheckboxSelectMultiple: "form-check-input",
    forms.Select: "form-select",
}


class BootstrapForm(forms.Form):
    """Bootstrap classes on every widget and `is-invalid` on the fields that have errors, so a
    field's error shows next to it; a service's ValidationError lands on the fields it names.

    `service_field_names` maps a service's field name to the form field that shows its errors,
    where the two differ (e.g. a contact's "organization" is the form's "organization_name")."""

    service_field_names: dict[str, str] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = WIDGET_CLASSES.get(type(field.widget), "form-control")
            field.widget.attrs["class"] = f"{field.widget.attrs.get('class', '')} {css}".strip()

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        for name in self.errors:
            if name not in self.fields:
                continue
            attrs = self.fields[name].widget.attrs
            if "is-invalid" not in attrs.get("class", ""):
                attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()

    def add_service_errors(self, error: ValidationError) -> None:
        """Show a service's ValidationError on the fields it names, the rest above the form."""
        if hasattr(error, "error_dict"):
            for service_name, messages in error.message_dict.items():
                name = self.service_field_names.get(service_name, service_name)
                for message in messages:
                    self.add_error(name if name in self.fields else None, message)
        else:
            for message in error.messages:
                self.add_error(None, message)
