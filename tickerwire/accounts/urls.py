"""Reader account routes: allauth's (sign up, verify, sign in and out, password reset) and our own pages."""

from __future__ import annotations

from django.urls import include, path

from tickerwire.accounts import views

app_name = "accounts"

urlpatterns = [
    path("settings/", views.account_settings, name="settings"),
    path("readers/<int:user_id>/", views.profile, name="profile"),
]

# allauth's views keep their own un-namespaced names (account_login, account_signup, ...).
allauth_patterns = [path("accounts/", include("allauth.urls"))]
