"""Shared Django admin helpers. The apps' data is written through their services (derived fields,
timeline rows, side effects), so the admin shows it to look things up and does not edit it."""

from django.contrib import admin
from django.db import models


class ReadOnlyAdmin(admin.ModelAdmin):
    """A model an admin looks at in the Django admin; Rapport's own pages change it."""

    show_full_result_count = False  # no second COUNT(*) over a large table on every search
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
