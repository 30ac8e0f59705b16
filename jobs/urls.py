"""The jobs pages. Each views module keeps its own urlpatterns."""

from jobs.views import board, contact_panel, job, lists, split

app_name = "jobs"
urlpatterns = [
    *lists.urlpatterns,
    *job.urlpatterns,
    *board.urlpatterns,
    *split.urlpatterns,
    *contact_panel.urlpatterns,
]
