from django.urls import path

from tickerwire.api.main import api

urlpatterns = [path("api/v1/", api.urls)]
