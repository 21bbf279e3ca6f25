from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate


class SearchConfig(AppConfig):
    name = "tickerwire.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from tickerwire.search import receivers

        # Stored and revised stories reach the index through story events (tickerwire.config.wiring).
        post_delete.connect(receivers.unindex_deleted_article, sender="articles.Article",
                            dispatch_uid="search.unindex_deleted_article")
        # `flush` (tests, `manage.py flush`) empties the articles but not the index tables Django does
        # not know, and sends post_migrate afterwards: drop the orphaned entries then.
        post_migrate.connect(receivers.prune_index, sender=self, dispatch_uid="search.prune_index")
