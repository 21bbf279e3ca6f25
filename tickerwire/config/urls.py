"""Top-level URL routes; each app adds its own ``urls`` module here."""

from django.urls import include, path

urlpatterns: list = [
    path("", include("tickerwire.api.urls")),
    path("", include("tickerwire.articles.urls")),
]

handler404 = "tickerwire.articles.views.page_not_found"
handler500 = "tickerwire.articles.views.server_error"
