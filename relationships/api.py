"""The API of this app under /api/v1/ (see crm/api_urls.py)."""

urlpatterns: list = []
