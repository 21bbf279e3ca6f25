from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tickerwire.accounts"
    label = "accounts"
    verbose_name = "Reader accounts"
    default_auto_field = "django.db.models.BigAutoField"
