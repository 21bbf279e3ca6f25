from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "tickerwire.desk"
    label = "desk"
    verbose_name = "Editors' desk"
    default_auto_field = "django.db.models.BigAutoField"
