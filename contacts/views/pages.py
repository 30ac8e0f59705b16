from django.urls import path
from django.views.generic import TemplateView

_placeholder = TemplateView.as_view(template_name="crm/placeholder.html")

urlpatterns = [
    path("contacts/<int:pk>/", _placeholder, name="contact-detail"),
    path("contacts/<int:pk>/brief/", _placeholder, name="contact-brief"),
]
