"""Top-level URL routes; each app adds its own ``urls`` module here."""

from django.urls import path

urlpatterns: list = []
