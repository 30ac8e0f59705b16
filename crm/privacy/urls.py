from django.urls import path

from contacts.panels import CONTACT_PAGE
from core.panels import Panel
from crm.privacy import views

app_name = "privacy"

urlpatterns = [
    path("contacts/<int:pk>/export.json", views.person_export_json, name="export-json"),
    path("contacts/<int:pk>/export/", views.person_export_page, name="export-page"),
    path("contacts/<int:pk>/erase/", views.person_erase_page, name="erase"),
]


def panels_register() -> None:
    """Called from crm.apps.CrmConfig.ready()."""
    CONTACT_PAGE.register(
        Panel(
            "privacy",
            "crm/privacy/partials/contact_panel.html",
            views.contact_privacy_panel,
            order=1000,
            related=views.OWNER,
        )
    )
