"""Story pieces every structured format (HTML pages, feeds, ninjs) finishes the same way.

Structured sources hand us a headline and body blocks; the wire conventions inside them (an ``UPDATE 1-``
headline prefix, a ``MOSCOW, Aug 28 (Reuters) -`` dateline opening the first paragraph) still need the
same treatment as in plain wire text, so that one story keeps one identity whichever way it arrived.
"""

from __future__ import annotations

from tickerwire.core.draft import REVISION_PREFIX, Block, Dateline
from tickerwire.core.sections import SECTION_NAMES
from tickerwire.ingest.textblocks import normalise_space, split_dateline

_SECTIONS_BY_FOLDED = {name.casefold(): name for name in SECTION_NAMES}


def split_revision_marker(headline: str) -> tuple[str, str | None]:
    """Return the headline without a wire revision prefix, and the prefix ("UPDATE 1") or ``None``."""
    match = REVISION_PREFIX.match(headline)
    if match is None:
        return headline, None
    rest = headline[match.end() :].strip()
    if not rest:
        return headline, None
    return rest, normalise_space(match.group(1)).upper()


def split_lead_dateline(blocks: list[Block]) -> tuple[Dateline | None, list[Block]]:
    """Take a wire dateline off the first paragraph; return it and the blocks without it."""
    for index, block in enumerate(blocks):
        if block.type != "paragraph":
            continue
        dateline, rest = split_dateline(block.text)
        if dateline is None or not rest.strip():
            return None, blocks
        return dateline, [*blocks[:index], Block("paragraph", rest.strip()), *blocks[index + 1 :]]
    return None, blocks


def known_section(names: list[str]) -> str | None:
    """Return the first of the names that is one of the site's sections, spelt as the menu spells it."""
    for name in names:
        section = _SECTIONS_BY_FOLDED.get(normalise_space(name).casefold())
        if section is not None:
            return section
    return None
