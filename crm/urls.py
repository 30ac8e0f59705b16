from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from crm import views

handler404 = "crm.views.not_found"

urlpatterns = [
    path("", views.my_day, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("status/", views.status, name="status"),
    path("status/ping", views.status_ping, name="status-ping"),
    path("dev/mailbox/", views.dev_mailbox, name="dev-mailbox"),
    path("dev/mailbox/reply", views.dev_mailbox_reply, name="dev-mailbox-reply"),
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Relationships first: /contacts/ (the list), /contacts/new, /contacts/import/ are its pages.
    path("", include("crm.history")),
    path("", include("accounts.views")),
    path("", include("relationships.urls")),
    path("", include("contacts.urls")),
    path("jobs/", include("jobs.urls")),
    path("market/", include("market.urls")),
    path("", include("followups.urls")),
    path("webhooks/anymail/", include("followups.webhooks")),
    path("dashboards/", include("dashboards.urls")),
    path("privacy/", include("crm.privacy.urls")),
    path("privacy/review/", include("crm.privacy.retention")),
    path("api/v1/", include("crm.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]
