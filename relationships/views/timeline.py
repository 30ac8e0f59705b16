from django.urls import path
from django.views.generic import TemplateView

_placeholder = TemplateView.as_view(template_name="crm/placeholder.html")

urlpatterns = [
    path("contacts/<int:pk>/interactions/", _placeholder, name="interaction-create"),
    path("contacts/<int:pk>/relationship/", _placeholder, name="relationship-update"),
    path("contacts/<int:pk>/connections/", _placeholder, name="connection-create"),
]
