from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    """The store. Its events' consumers are wired in :mod:`tickerwire.config.wiring`, not here."""

    name = "tickerwire.articles"
    label = "articles"
    verbose_name = "Articles"
