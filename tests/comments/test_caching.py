"""The comment area and the four cache layers: the anonymous article page stays one shared, cookie-free,
cached copy (page cache and nginx snapshot), the signed-in reader's area is a fragment never stored, and every
visible change purges the article's copies."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.test.utils import override_settings
from django.utils.http import parse_http_date

from tests.comments.helpers import make_manager, make_reader
from tickerwire.comments import actions
from tickerwire.site import queries

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("open_rules")]


@pytest.fixture
def snapshot_dir() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="tw-comment-snapshots-"))
    with override_settings(TICKERWIRE_SNAPSHOT_DIR=str(folder)):
        yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count how often the article page is rendered (not answered from a cache)."""
    seen: list[int] = []
    real = queries.article_page

    def counting(article: Any) -> Any:
        seen.append(article.pk)
        return real(article)

    monkeypatch.setattr(queries, "article_page", counting)
    return seen


def snapshot_of(root: Path, path: str) -> Path:
    return root / path.strip("/") / "index.html"


def test_the_anonymous_article_page_stays_cookie_free_and_cached(
    story: Any, snapshot_dir: Path, renders: list[int], django_capture_on_commit_callbacks: Any
) -> None:
    reader = make_reader("una")
    actions.post_comment(reader, story.pk, "A shared comment")
    anonymous = Client()
    url = story.get_absolute_url()
    first = anonymous.get(url)
    assert first.status_code == 200 and not first.cookies
    body = first.content.decode()
    assert "A shared comment" in body and "csrfmiddlewaretoken" not in body
    assert snapshot_of(snapshot_dir, url).read_bytes() == first.content  # nginx's copy
    assert anonymous.get(url).content == first.content and renders == [story.pk]  # page cache
    # A signed-in reader gets a page of their own, and it does not replace the shared copy.
    signed_in = Client()
    signed_in.force_login(reader)
    assert signed_in.get(url).status_code == 200
    assert anonymous.get(url).content == first.content
    assert len(renders) == 2
    # Posting purges: the snapshot goes, the next anonymous page is rendered anew with the comment.
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(f"/articles/{story.pk}/comments/post", {"text": "A fresh comment"},
                                  HTTP_X_TICKERWIRE_FRAGMENT="1")
    assert response.status_code == 201 and response["X-Comment-Status"] == "published"
    assert type(response["X-Comment-Status"]) is str  # a WSGI server refuses anything else
    assert not snapshot_of(snapshot_dir, url).exists()
    again = anonymous.get(url)
    assert "A fresh comment" in again.content.decode() and not again.cookies
    assert len(renders) == 3
    assert snapshot_of(snapshot_dir, url).exists()


@pytest.mark.parametrize("change", ["edit", "delete", "reject", "like"])
def test_each_visible_change_purges_the_article(
    story: Any, snapshot_dir: Path, renders: list[int], django_capture_on_commit_callbacks: Any, change: str
) -> None:
    author, other, manager = make_reader("vic"), make_reader("wes"), make_manager("xia")
    comment = actions.post_comment(author, story.pk, "Before the change")
    url = story.get_absolute_url()
    Client().get(url)
    assert snapshot_of(snapshot_dir, url).exists()
    with django_capture_on_commit_callbacks(execute=True):
        {"edit": lambda: actions.edit_comment(author, comment.pk, "After the change"),
         "delete": lambda: actions.delete_comment(author, comment.pk),
         "reject": lambda: actions.reject(manager, comment.pk, "No"),
         "like": lambda: actions.set_like(other, comment.pk, True)}[change]()
    assert not snapshot_of(snapshot_dir, url).exists()
    Client().get(url)
    assert len(renders) == 2


def test_the_signed_in_comment_area_is_a_fragment_never_stored(story: Any, renders: list[int]) -> None:
    reader = make_reader("yan")
    actions.post_comment(make_reader("zed"), story.pk, "Somebody's comment")
    client = Client()
    client.force_login(reader)
    area = client.get(f"/articles/{story.pk}/comments?fragment=area")
    assert area["Cache-Control"] == "private, no-store"
    html = area.content.decode()
    assert html.startswith("<div class=\"comment-area\"") and "<html" not in html
    assert "csrfmiddlewaretoken" in html and "Post comment" in html and "Like" in html
    # Anonymous: the same address is one shared copy without a form or a cookie, cached with the article.
    anonymous = Client()
    public = anonymous.get(f"/articles/{story.pk}/comments?fragment=area")
    assert not public.cookies and "csrfmiddlewaretoken" not in public.content.decode()
    assert "Sign up to post" in public.content.decode()
    assert "private" not in public.get("Cache-Control", "")


def test_the_article_page_tells_the_script_where_the_readers_area_is(story: Any) -> None:
    html = Client().get(story.get_absolute_url()).content.decode()
    assert f'data-thread-url="/articles/{story.pk}/comments"' in html and 'data-public="1"' in html
    assert "comments/comments.js" in html
    assert f'href="/accounts/signup/?next=/articles/{story.pk}/comments"' in html


@pytest.mark.parametrize("change", ["post", "edit", "delete", "reject", "like", "feature"])
def test_a_revalidating_reader_gets_the_new_comment_list_not_a_304(
    story: Any, django_capture_on_commit_callbacks: Any, change: str
) -> None:
    """The page's ETag and Last-Modified cover its comment list: a change to it is a 200 for an old copy."""
    author, other, manager = make_reader("yan"), make_reader("zed"), make_manager("abe")
    comment = actions.post_comment(author, story.pk, "Before the change")
    url = story.get_absolute_url()
    first = Client().get(url)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert Client().get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    with django_capture_on_commit_callbacks(execute=True):
        {"post": lambda: actions.post_comment(other, story.pk, "A second comment"),
         "edit": lambda: actions.edit_comment(author, comment.pk, "After the change"),
         "delete": lambda: actions.delete_comment(author, comment.pk),
         "reject": lambda: actions.reject(manager, comment.pk, "No"),
         "like": lambda: actions.set_like(other, comment.pk, True),
         "feature": lambda: actions.feature(manager, comment.pk)}[change]()
    again = Client().get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200 and again["ETag"] != etag
    assert Client().get(url, HTTP_IF_NONE_MATCH=again["ETag"]).status_code == 304
    # Last-Modified moves to the change (never backwards), for clients that send only If-Modified-Since.
    assert parse_http_date(again["Last-Modified"]) >= parse_http_date(modified)
    story.refresh_from_db()
    assert story.revision_count == 1  # the story itself was not revised
