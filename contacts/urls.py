"""Contacts' pages: each views module keeps its own urlpatterns."""

from contacts.views import facts, organizations, pages, search

app_name = "contacts"
urlpatterns = [
    *search.urlpatterns,
    *pages.urlpatterns,
    *facts.urlpatterns,
    *organizations.urlpatterns,
]
