from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "tickerwire.ops"
    label = "ops"
    verbose_name = "Operations"
