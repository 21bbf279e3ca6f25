"""The package picture DESIGN.md draws: dependencies point one way, and the store imports no app above it.

Imports are read from the source (module level and inside functions alike), so a lazy import cannot hide a
dependency.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import tickerwire

ROOT = Path(tickerwire.__file__).parent
# What each package may import from the others (the rest is forbidden).
DJANGO_FREE = {"core", "ingest", "enrich"}
STORE_MAY_IMPORT = {"core", "ingest", "enrich"}


def package_imports() -> dict[str, set[str]]:
    """Return, for each top-level package of tickerwire, the other packages (and 'django') it imports."""
    graph: dict[str, set[str]] = defaultdict(set)
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        package = parts[0] if len(parts) > 1 else path.stem
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module] if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 else []
            )
            for name in names:
                head = name.split(".")
                if head[0] == "django":
                    graph[package].add("django")
                elif head[0] == "tickerwire" and len(head) > 1 and head[1] != package:
                    graph[package].add(head[1])
    return graph


def test_the_store_imports_no_app_built_on_it() -> None:
    """articles/ (the store) imports neither site, delivery, api, search, config nor the commands."""
    assert package_imports()["articles"] - {"django"} <= STORE_MAY_IMPORT


def test_pipeline_stages_know_nothing_of_django() -> None:
    """ingest/, enrich/ and core/ are plain Python: importable and testable without Django."""
    graph = package_imports()
    for package in DJANGO_FREE:
        assert "django" not in graph[package], package
        assert graph[package] - {"django"} <= DJANGO_FREE, (package, graph[package])


def test_no_cycle_between_packages() -> None:
    """Following imports from any package never leads back to it."""
    graph = {package: deps - {"django"} for package, deps in package_imports().items()}

    def reaches(start: str, target: str, seen: set[str]) -> bool:
        for dep in graph.get(start, set()):
            if dep == target or (dep not in seen and reaches(dep, target, seen | {dep})):
                return True
        return False

    cycles = sorted(package for package in graph if reaches(package, package, {package}))
    assert cycles == [], {package: sorted(graph[package]) for package in cycles}


def test_the_site_and_accounts_know_comments_only_through_hooks() -> None:
    """site/ shows the comment area and counts through its panel registry (tickerwire.site.hooks), so it
    imports neither comments nor accounts; accounts imports no comments; comments builds on both."""
    graph = package_imports()
    assert not graph["site"] & {"comments", "accounts"}, graph["site"]
    assert not graph["delivery"] & {"comments", "accounts"}, graph["delivery"]
    assert "comments" not in graph["accounts"], graph["accounts"]
    assert {"articles", "accounts", "site", "delivery", "core", "limits", "desk"} >= graph["comments"] - {"django"}, (
        graph["comments"])


def test_the_site_imports_no_app_that_adds_to_its_pages() -> None:
    """site/ imports neither alerts nor config: alerts registers its follow control through config.wiring."""
    graph = package_imports()
    assert "alerts" not in graph["site"] and "config" not in graph["site"]
    assert "alerts" not in graph["articles"] and "alerts" not in graph["search"]
    assert "alerts" in graph["config"]
