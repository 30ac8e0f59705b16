"""Relationships' pages, including the contact list and the flows that span contacts and
relationships (new contact, import, export, merge, handoff). Each views module keeps its own
urlpatterns."""

from relationships.views import contact_list, handoffs, importing, merge, timeline

app_name = "relationships"
urlpatterns = [
    *contact_list.urlpatterns,
    *importing.urlpatterns,
    *timeline.urlpatterns,
    *handoffs.urlpatterns,
    *merge.urlpatterns,
]
