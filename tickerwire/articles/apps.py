from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "tickerwire.articles"
    label = "articles"
    verbose_name = "Articles"

    def ready(self) -> None:
        from tickerwire.articles.signals import article_stored
        from tickerwire.delivery import purge

        # After commit, drop the cached pages showing the story.
        article_stored.connect(purge.purge_stored_article, dispatch_uid="articles.purge_stored_article")

        from tickerwire.articles.receivers import enrich_stored_article

        # In the ingest transaction: tickers, sections, figures, sentiment, cluster; embedding after commit.
        article_stored.connect(enrich_stored_article, dispatch_uid="articles.enrich_stored_article")
