"""The ArticleDraft JSON contract and story identity."""

from tickerwire.core.draft import ArticleDraft, Block, Dateline, story_key


def make_draft(**overrides: object) -> ArticleDraft:
    fields: dict[str, object] = {
        "headline": "Orbis Widgets lifts outlook as orders rise",
        "dateline": Dateline(place="ZENITH CITY", date="Mar 3", agency="Tickerwire Sample Wire"),
        "body": [Block("paragraph", "Orbis Widgets raised its outlook on Tuesday."), Block("subhead", "ORDERS")],
    }
    fields.update(overrides)
    return ArticleDraft(**fields)  # type: ignore[arg-type]


def test_json_round_trip_is_exact() -> None:
    """A draft read back from its own JSON form prints the same JSON."""
    draft = make_draft(summary=["Outlook raised"], byline=["A. Writer"], published="2026-03-03T10:00:00")
    data = draft.to_json()
    assert ArticleDraft.from_json(data).to_json() == data


def test_key_ignores_revision_prefix_and_case() -> None:
    """An "UPDATE 1-" re-send of the same story keeps its key."""
    first = make_draft()
    update = make_draft(headline="UPDATE 1-ORBIS WIDGETS LIFTS OUTLOOK AS ORDERS RISE")
    assert story_key(first) == story_key(update)


def test_key_changes_with_first_paragraph_and_prefers_uri() -> None:
    """Different stories get different keys; a source URI is the key when given."""
    other = make_draft(body=[Block("paragraph", "A different lead paragraph.")])
    assert story_key(other) != story_key(make_draft())
    assert story_key(make_draft(uri="urn:sample:1")) == "uri:urn:sample:1"


def test_content_hash_tracks_body_changes() -> None:
    """Changing the body changes the content hash; re-building the same draft does not."""
    assert make_draft().content_hash() == make_draft().content_hash()
    changed = make_draft(body=[Block("paragraph", "Orbis Widgets cut its outlook on Tuesday.")])
    assert changed.content_hash() != make_draft().content_hash()


def test_own_key_uri_maps_back_to_the_same_key() -> None:
    """A story re-read from our own output (its key carried in a URI) keeps its key."""
    from tickerwire.core.draft import key_uri

    hashed = make_draft()
    assert story_key(make_draft(uri=key_uri(hashed.key))) == hashed.key
    by_uri = make_draft(uri="https://example.test/story/1")
    assert key_uri(by_uri.key) == "https://example.test/story/1"
    assert story_key(make_draft(uri=key_uri(by_uri.key))) == by_uri.key


def test_content_hash_ignores_how_the_time_is_written() -> None:
    """The same text with its time written with a zone is the same version."""
    assert make_draft(published="2026-03-03T10:00:00").content_hash() == make_draft(
        published="2026-03-03T10:00:00+00:00"
    ).content_hash()
