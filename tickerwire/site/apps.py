from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "tickerwire.site"
    label = "site"
    verbose_name = "Reader site"
