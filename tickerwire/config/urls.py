"""Top-level URL routes; each app adds its own ``urls`` module here."""

from django.contrib import admin
from django.urls import include, path

urlpatterns: list = [
    # The editors' desk (tickerwire.desk.admin): staff only, every change through the desk's actions.
    path("desk/", admin.site.urls),
    path("", include("tickerwire.ops.urls")),
    path("", include("tickerwire.api.urls")),
    path("", include("tickerwire.alerts.urls")),
    path("", include("tickerwire.site.urls")),
]

handler404 = "tickerwire.site.views.page_not_found"
handler500 = "tickerwire.site.views.server_error"
