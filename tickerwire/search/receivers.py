"""Keep the index current: every stored article is (re)indexed inside the ingest transaction."""

from __future__ import annotations

from typing import Any


def index_stored_article(sender: Any, article: Any, **kwargs: Any) -> None:
    from tickerwire.search import index_article

    index_article(article)
