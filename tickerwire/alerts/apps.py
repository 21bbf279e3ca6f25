from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "tickerwire.alerts"
    label = "alerts"
    verbose_name = "Watchlists and alerts"
    default_auto_field = "django.db.models.BigAutoField"
