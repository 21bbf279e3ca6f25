"""Our ninjs output: every sample story and the seed validate against IPTC ninjs 2.2, and round-trip.

Round trip: re-ingesting an article's own ninjs document changes nothing (same key, status unchanged).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

from tests.acceptance.conftest import REPO_ROOT, require_shared, require_shared_data

NINJS = require_shared_data("ninjs")
SEED = require_shared("seeds", "000_e1910754a33a6208.txt")
SAMPLE_DIR = REPO_ROOT / "tickerwire" / "sample_content"
GEOJSON_URI = "https://geojson.org/schema/GeoJSON.json"


def ninjs_validator() -> Draft202012Validator:
    schema = json.loads((NINJS / "specification" / "ninjs-schema_2.2.json").read_text())
    geojson = json.loads((NINJS / "validation" / "test_suite" / "GeoJSON-schema.json").read_text())
    registry = Registry().with_resource(GEOJSON_URI, Resource.from_contents(geojson))
    return Draft202012Validator(schema, registry=registry, format_checker=FormatChecker())


def story_files() -> list[Path]:
    return sorted(p for p in SAMPLE_DIR.iterdir() if p.suffix in {".txt", ".html", ".xml", ".json"}
                  and p.name not in {"manifest.json"} and not p.name.startswith("tickers"))


@pytest.fixture
def stored_articles(db: None) -> list[int]:
    from tickerwire.articles.actions.ingest import IngestOutcome, ingest_bytes

    ids: list[int] = []
    for path in [*story_files(), SEED]:
        for result in ingest_bytes(path.read_bytes(), source_name="acceptance", path=str(path)):
            if isinstance(result, IngestOutcome):
                ids.append(result.article_id)
    return sorted(set(ids))


def test_every_sample_story_and_the_seed_is_valid_ninjs(stored_articles: list[int]) -> None:
    """Each stored article's ninjs document has no schema errors."""
    from tickerwire.api.formatters import format_ninjs
    from tickerwire.articles.models import Article

    assert len(stored_articles) >= 31, "the sample content and the seed should all be stored"
    validator = ninjs_validator()
    for article in Article.objects.filter(pk__in=stored_articles):
        errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(format_ninjs(article))]
        assert errors == [], f"{article.headline}: {errors[:3]}"


def test_our_ninjs_reingests_unchanged(stored_articles: list[int]) -> None:
    """Ingesting an article's own ninjs output finds the same article and changes nothing."""
    from tickerwire.api.formatters import format_ninjs
    from tickerwire.articles.actions.ingest import IngestOutcome, ingest_bytes
    from tickerwire.articles.models import Article, Revision

    revisions_before = Revision.objects.count()
    for article in Article.objects.filter(pk__in=stored_articles):
        document = json.dumps(format_ninjs(article)).encode()
        [result] = ingest_bytes(document, fmt="ninjs", source_name="acceptance", path="roundtrip")
        assert isinstance(result, IngestOutcome), getattr(result, "reason", result)
        assert (result.article_id, result.status) == (article.pk, "unchanged"), article.headline
    assert Revision.objects.count() == revisions_before
