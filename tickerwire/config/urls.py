"""Top-level URL routes; each app adds its own ``urls`` module here."""

from django.urls import include, path

urlpatterns: list = [
    path("", include("tickerwire.api.urls")),
    path("", include("tickerwire.site.urls")),
]

handler404 = "tickerwire.site.views.page_not_found"
handler500 = "tickerwire.site.views.server_error"
