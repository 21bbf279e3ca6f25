"""Signals the store sends so other concerns (search index, enrichment tasks) stay decoupled from it."""

from django.dispatch import Signal

# Sent inside the ingest transaction after an article is created or revised.
# Arguments: article (Article), revision (Revision), created (bool).
article_stored = Signal()
