"""The ``draft`` format: our own JSON Lines as ``tickerwire parse`` prints it, read back unchanged.

A file of drafts can be re-parsed, enriched or ingested later; reading it must give back exactly the drafts
that were printed, so every field is checked for its type instead of being coerced. One JSON object, a JSON
array of objects and JSON Lines are all accepted; a bad line is reported on its own and the rest still read.
"""

from __future__ import annotations

import json
from typing import Any

from tickerwire.core.draft import STORY_KINDS, ArticleDraft
from tickerwire.ingest.errors import ParseError
from tickerwire.ingest.jsondocs import read_json_items

_OPTIONAL_TEXT = ("uri", "revision_marker", "published", "credits", "language", "format")
_TEXT_LISTS = ("sections_menu", "summary", "byline")
_BLOCK_TYPES = ("paragraph", "subhead")


def parse(data: bytes) -> list[ArticleDraft | ParseError]:
    """Return the drafts of a draft JSON input; a malformed object is returned as a ``ParseError``."""
    results: list[ArticleDraft | ParseError] = []
    for item in read_json_items(data):
        if item.error is not None:
            results.append(item.error)
            continue
        problem = draft_problem(item.value)
        if problem is not None:
            results.append(ParseError(item.prefixed(f"not a story draft: {problem}")))
        else:
            results.append(ArticleDraft.from_json(item.value))
    return results


def draft_problem(value: Any) -> str | None:
    """Return why a JSON value is not a draft in our JSON form, or ``None`` when it is one."""
    if not isinstance(value, dict):
        return f"expected a JSON object, got {_json_type(value)}"
    headline = value.get("headline")
    if not isinstance(headline, str) or not headline.strip():
        return '"headline" must be non-empty text'
    for name in _OPTIONAL_TEXT:
        if not _is_optional_text(value.get(name)):
            return f'"{name}" must be text or null'
    if value.get("kind") not in (None, *STORY_KINDS):
        return f'"kind" must be one of {", ".join(STORY_KINDS)} or null'
    for name in _TEXT_LISTS:
        if not _is_text_list(value.get(name)):
            return f'"{name}" must be a list of text'
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return "it holds an unpaired surrogate escape (\\udXXX), which is no character"
    return (
        _object_problem(value.get("source"), "source", ("site", "section"))
        or _object_problem(value.get("dateline"), "dateline", ("place", "date", "agency"))
        or _body_problem(value.get("body"))
        or _related_problem(value.get("related"))
    )


def _object_problem(value: Any, name: str, keys: tuple[str, ...]) -> str | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        return f'"{name}" must be an object or null'
    for key in keys:
        if not _is_optional_text(value.get(key)):
            return f'"{name}.{key}" must be text or null'
    return None


def _body_problem(body: Any) -> str | None:
    if body is None:
        return None
    if not isinstance(body, list):
        return '"body" must be a list of blocks'
    for index, block in enumerate(body):
        if not isinstance(block, dict):
            return f'"body[{index}]" must be an object'
        if block.get("type") not in _BLOCK_TYPES:
            return f'"body[{index}].type" must be "paragraph" or "subhead"'
        if not isinstance(block.get("text"), str):
            return f'"body[{index}].text" must be text'
    return None


def _related_problem(related: Any) -> str | None:
    if related is None:
        return None
    if not isinstance(related, list):
        return '"related" must be a list'
    for index, link in enumerate(related):
        if not isinstance(link, dict):
            return f'"related[{index}]" must be an object'
        if not isinstance(link.get("headline"), str):
            return f'"related[{index}].headline" must be text'
        if not _is_optional_text(link.get("published")) or not _is_optional_text(link.get("snippet")):
            return f'"related[{index}]" published and snippet must be text or null'
        if not _is_text_list(link.get("tickers")):
            return f'"related[{index}].tickers" must be a list of text'
    return None


def _is_optional_text(value: Any) -> bool:
    return value is None or isinstance(value, str)


def _is_text_list(value: Any) -> bool:
    return value is None or (isinstance(value, list) and all(isinstance(item, str) for item in value))


def _json_type(value: Any) -> str:
    names = {list: "an array", str: "a string", bool: "true/false", int: "a number", float: "a number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)
