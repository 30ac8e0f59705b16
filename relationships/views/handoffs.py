from django.urls import path
from django.views.generic import TemplateView

_placeholder = TemplateView.as_view(template_name="crm/placeholder.html")

urlpatterns = [
    path("handoffs/", _placeholder, name="handoff-list"),
    path("handoffs/new/", _placeholder, name="handoff-new"),
]
