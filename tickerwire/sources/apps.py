from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "tickerwire.sources"
    label = "sources"
    verbose_name = "Polled sources"
