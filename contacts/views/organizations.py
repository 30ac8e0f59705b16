from django.urls import path
from django.views.generic import TemplateView

_placeholder = TemplateView.as_view(template_name="crm/placeholder.html")

urlpatterns = [
    path("organizations/", _placeholder, name="organization-list"),
    path("organizations/<int:pk>/", _placeholder, name="organization-detail"),
]
