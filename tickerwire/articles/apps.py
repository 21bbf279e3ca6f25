from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "tickerwire.articles"
    label = "articles"
    verbose_name = "Articles"
