"""Routes of watchlists and alerts: the reader's own pages under /my/, and the unsubscribe link."""

from __future__ import annotations

from django.urls import path

from tickerwire.alerts import views

app_name = "alerts"

urlpatterns = [
    path("my/news", views.my_news, name="my-news"),
    path("my/follows", views.follows, name="follows"),
    path("my/follows/new", views.follow_new, name="follow-new"),
    path("my/follows/remove", views.follow_remove, name="follow-remove"),
    path("my/follows/button", views.follow_button, name="follow-button"),
    path("my/follows/<int:follow_id>", views.follow_update, name="follow-update"),
    path("my/alert-settings", views.alert_settings, name="alert-settings"),
    path("alerts/unsubscribe/<str:token>", views.unsubscribe, name="unsubscribe"),
]
