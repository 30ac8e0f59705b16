from django.urls import path

from dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.index, name="index"),
    path("export.csv", views.overview_export, name="export"),
    path("trends/", views.trends, name="trends"),
    path("digest/", views.digest_settings, name="digest-settings"),
    path("<str:key>/", views.figure_detail, name="figure"),
    path("<str:key>/export.csv", views.figure_export, name="figure-export"),
]
