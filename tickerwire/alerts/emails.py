"""Alert and digest emails: plain text and HTML, each with a one-click unsubscribe (RFC 8058).

Every email carries ``List-Unsubscribe`` (the signed link) and ``List-Unsubscribe-Post:
List-Unsubscribe=One-Click``, so a mail client's unsubscribe button works without the reader signing in;
the same link is in the text. Its ``Message-ID`` is derived from the delivery, so a message sent twice after
a crash between sending and recording it is one message to a mail system that deduplicates.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from tickerwire.alerts.models import Delivery, Digest
from tickerwire.alerts.tokens import unsubscribe_token
from tickerwire.api.formatters.ninjs import OFFLINE_SITE_URL
from tickerwire.articles.models import Article
from tickerwire.site.addresses import configured_site_url


def absolute(path: str) -> str:
    """Return a site path as an address to put in an email (the configured site URL)."""
    return (configured_site_url() or OFFLINE_SITE_URL) + path


def unsubscribe_url(user_id: int, follow_id: int | None) -> str:
    """Return the signed unsubscribe address of one follow's emails (None: the digest)."""
    return absolute(reverse("alerts:unsubscribe", kwargs={"token": unsubscribe_token(user_id, follow_id)}))


def _message(to: str, subject: str, template: str, context: dict[str, object], unsubscribe: str,
             message_id: str) -> EmailMultiAlternatives:
    context = {**context, "unsubscribe_url": unsubscribe, "site_url": absolute("/")}
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split())[:200],
        body=render_to_string(f"alerts/email/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Message-ID": message_id,
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(render_to_string(f"alerts/email/{template}.html", context), "text/html")
    return message


def _domain() -> str:
    return (configured_site_url() or OFFLINE_SITE_URL).split("//", 1)[-1].split("/", 1)[0] or "localhost"


def alert_email(delivery: Delivery) -> EmailMultiAlternatives:
    """Return the email of one immediate alert (its follow and every follow merged into it named)."""
    article: Article = delivery.article
    follows = [delivery.follow, *(d.follow for d in delivery.covers.select_related("follow"))]
    because = ", ".join(dict.fromkeys(f.label or f.target for f in follows))
    update = delivery.kind == Delivery.Kind.UPDATE
    subject = f"{'Updated: ' if update else ''}{article.headline}"
    context = {"article": article, "url": absolute(article.get_absolute_url()), "because": because,
               "update": update, "summary": article.summary[:3]}
    return _message(delivery.user.email, subject, "alert", context,
                    unsubscribe_url(delivery.user_id, delivery.follow_id),
                    f"<alert-{delivery.pk}@{_domain()}>")


def digest_email(digest: Digest, deliveries: Sequence[Delivery]) -> EmailMultiAlternatives:
    """Return a reader's daily digest of the stories in ``deliveries`` (newest first)."""
    stories = []
    for delivery in sorted(deliveries, key=lambda d: d.article.published_at, reverse=True):
        stories.append({"article": delivery.article, "url": absolute(delivery.article.get_absolute_url()),
                        "because": delivery.follow.label or delivery.follow.target,
                        "update": delivery.kind == Delivery.Kind.UPDATE})
    subject = f"Your Tickerwire digest for {digest.local_date:%a %d %b %Y}: {len(stories)} stor" + (
        "y" if len(stories) == 1 else "ies")
    return _message(digest.user.email, subject, "digest", {"stories": stories, "digest": digest},
                    unsubscribe_url(digest.user_id, None), f"<digest-{digest.pk}@{_domain()}>")
