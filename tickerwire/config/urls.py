"""Top-level URL routes; each app adds its own ``urls`` module here."""

from django.contrib import admin
from django.urls import include, path

from tickerwire.accounts.urls import allauth_patterns

urlpatterns: list = [
    # The editors' desk (tickerwire.desk.admin): staff only, every change through the desk's actions.
    path("desk/", admin.site.urls),
    path("", include("tickerwire.ops.urls")),
    *allauth_patterns,
    path("accounts/", include("tickerwire.accounts.urls")),
    path("", include("tickerwire.comments.urls")),
    path("", include("tickerwire.api.urls")),
    path("", include("tickerwire.alerts.urls")),
    path("", include("tickerwire.site.urls")),
]

handler404 = "tickerwire.site.views.page_not_found"
handler500 = "tickerwire.ops.views.server_error"
