from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "tickerwire.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        from tickerwire.articles.signals import article_stored
        from tickerwire.search import receivers

        # Connected after the articles app's own receivers (INSTALLED_APPS order), so the index
        # sees the tickers that enrichment tagged in the same transaction.
        article_stored.connect(receivers.index_stored_article, dispatch_uid="search.index_stored_article")
