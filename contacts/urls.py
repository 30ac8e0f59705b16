"""Contacts' pages: each views module keeps its own urlpatterns."""

from contacts.views import editing, facts, organizations, pages, search

app_name = "contacts"
urlpatterns = [
    *search.urlpatterns,
    *pages.urlpatterns,
    *editing.urlpatterns,
    *facts.urlpatterns,
    *organizations.urlpatterns,
]
