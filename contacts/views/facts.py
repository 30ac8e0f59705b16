from django.urls import path
from django.views.generic import TemplateView

_placeholder = TemplateView.as_view(template_name="crm/placeholder.html")

urlpatterns = [
    path("contacts/<int:pk>/facts/", _placeholder, name="fact-create"),
]
