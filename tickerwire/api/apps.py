from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "tickerwire.api"
    label = "api"
    verbose_name = "JSON API"
