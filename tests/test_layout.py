"""The package layout's import rules (DESIGN.md): dependencies point one way."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "tickerwire"


def imported_modules(package: str) -> set[str]:
    """Return every tickerwire/lab module imported anywhere in a package (top level or inside functions)."""
    found: set[str] = set()
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
    return found


@pytest.mark.parametrize(("package", "forbidden"), [
    ("articles", ("tickerwire.site", "tickerwire.delivery", "tickerwire.api", "tickerwire.search",
                  "tickerwire.commands", "lab")),
    ("delivery", ("tickerwire.site", "tickerwire.api", "lab")),
    ("site", ("tickerwire.api", "lab")),
    ("ingest", ("django", "tickerwire.articles", "lab")),
    ("enrich", ("django", "tickerwire.articles", "lab")),
    ("search", ("tickerwire.site", "tickerwire.delivery", "tickerwire.api", "lab")),
])
def test_package_does_not_import(package: str, forbidden: tuple[str, ...]) -> None:
    """A package never imports the packages that sit above it (nor training code in lab/)."""
    bad = sorted(m for m in imported_modules(package) if any(m == f or m.startswith(f + ".") for f in forbidden))
    assert bad == []
