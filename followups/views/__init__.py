"""Follow-through pages, one module per area; each keeps its own urlpatterns (followups/urls.py
puts them together)."""
