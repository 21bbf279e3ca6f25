"""Which consumer hears which story event, and in which phase: the one place the pipeline is wired.

The order within each phase is :data:`tickerwire.articles.events.CONSUMER_ORDER`; this module only says
what each consumer listens to. It is imported once every app is loaded (``ConfigConfig.ready``, the last
entry of ``INSTALLED_APPS``), because consumers import their apps' models.
"""

from __future__ import annotations

from functools import partial

from tickerwire.articles.events import Phase, StoryEventName, register

E = StoryEventName


def wire_consumers() -> None:
    """Register every consumer of story events (idempotent: registering again replaces)."""
    from tickerwire.alerts.tasks import NOTIFY_EVENTS, notify
    from tickerwire.articles.tasks import queue_refinement
    from tickerwire.delivery.purge import purge_story_event
    from tickerwire.search.receivers import index_story_event

    register("search.index", Phase.IN_TRANSACTION, {E.STORED, E.REVISED, E.STATUS_CHANGED, E.REFINED, E.CORRECTED},
             index_story_event)
    register("delivery.purge", Phase.AFTER_COMMIT,
             {E.STORED, E.REVISED, E.STATUS_CHANGED, E.REFINED, E.RELATED_CHANGED, E.CORRECTED},
             purge_story_event)
    register("articles.refine", Phase.AFTER_COMMIT, {E.STORED, E.REVISED}, queue_refinement)
    register("alerts.notify", Phase.AFTER_COMMIT, NOTIFY_EVENTS, notify)


def wire_delivery_gates() -> None:
    """Let the API count cached reads against its read limit (the page cache serves them before the API)."""
    from tickerwire.api.middleware import cached_read_gate
    from tickerwire.delivery.page_cache import register_cached_read_gate

    register_cached_read_gate("/api/", cached_read_gate)


def wire_panels() -> None:
    """Register the apps' parts of site pages (:mod:`tickerwire.site.hooks`; the site imports no app):
    the comment area, a reader's comments, comment counts, the follow control of ticker, section
    and search pages, and the signed-in header's "My news" link."""
    from tickerwire.alerts.follow_controls import follow_control, my_news_link
    from tickerwire.comments.queries import visible_counts
    from tickerwire.comments.views import profile_panel, public_panel
    from tickerwire.site.hooks import register_comment_counter, register_panel

    register_panel("comments.area", "article", public_panel)
    register_panel("comments.profile", "profile", profile_panel)
    register_comment_counter(visible_counts)
    for kind in ("ticker", "section", "search"):
        register_panel(f"alerts.follow.{kind}", kind, partial(follow_control, kind))
    register_panel("alerts.my_news", "account", my_news_link)
