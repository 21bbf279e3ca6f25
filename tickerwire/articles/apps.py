from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    """The store. Its consumers are connected by :mod:`tickerwire.config.wiring`, not here."""

    name = "tickerwire.articles"
    label = "articles"
    verbose_name = "Articles"
