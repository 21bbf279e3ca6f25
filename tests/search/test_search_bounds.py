"""Search input is bounded and compiled flat, and the database work of a search has a time budget.

Before: 98 excluded words (``acme -b -b ...``) overflowed FTS5's parser stack (a 500), and a 2,000-word
API ``q`` took seconds (matching and highlighting grew with the square of the word count).
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client, override_settings

from tests.search.test_search import corpus  # noqa: F401 - the shared fixture
from tickerwire.search import SearchQuery, SearchTimedOut, search
from tickerwire.search.backends import get_backend
from tickerwire.search.query import MAX_QUERY_CHARS, MAX_TERMS, QueryTooComplex, parse_query, to_fts5, to_websearch

NINETY_EIGHT_EXCLUDED = "acme " + " ".join(["-b"] * 98)
DISTINCT_EXCLUDED = "oil " + " ".join(f"-w{n}" for n in range(40))  # 41 terms in 193 characters
TWO_THOUSAND_WORDS = " ".join(f"orbis{n % 97} oil" for n in range(1000))


def test_a_term_given_many_times_counts_once() -> None:
    parsed = parse_query(NINETY_EIGHT_EXCLUDED)
    assert [(t.words, t.negated) for t in parsed.terms] == [(("acme",), False), (("b",), True)]


def test_exclusions_compile_flat_whatever_their_number() -> None:
    """However many words are excluded, the FTS5 expression nests two levels deep."""
    parsed = parse_query("oil gas -gold -silver -copper")
    assert to_fts5(parsed) == '(("oil" AND "gas") NOT ("gold" OR "silver" OR "copper"))'
    assert to_websearch(parsed) == "oil gas -gold -silver -copper"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("x" * (MAX_QUERY_CHARS + 1), f"the limit is {MAX_QUERY_CHARS}"),
        (DISTINCT_EXCLUDED, f"the limit is {MAX_TERMS} terms"),
        (TWO_THOUSAND_WORDS, "characters long"),
        (" ".join(f"orbis{n}" for n in range(40)), "the search has 40 different terms of 40 words"),
        (" ".join(f'"a{n} b{n} c{n}"' for n in range(30)), "90 words"),
    ],
)
def test_a_query_over_the_bounds_is_too_complex(text: str, says: str) -> None:
    with pytest.raises(QueryTooComplex) as raised:
        parse_query(text)
    assert says in raised.value.message


def test_the_bounds_leave_room_for_any_real_search() -> None:
    parse_query(" ".join(f"word{n}" for n in range(MAX_TERMS)))
    parse_query('"central bank" rates -"rate cut" inflation-linked 8.1%')


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/search", "/api/v1/search"])
def test_ninety_eight_excluded_words_are_answered(client: Client, corpus: dict[str, int], url: str) -> None:  # noqa: F811
    """``acme -b -b ...`` (98 times) is one exclusion: answered, no parser stack overflow."""
    response = client.get(url, {"q": "oil " + " ".join(["-b"] * 98)})
    assert response.status_code == 200


@pytest.mark.django_db
def test_too_complex_on_the_api_is_a_400_that_says_so(client: Client, corpus: dict[str, int]) -> None:  # noqa: F811
    for params in ({"q": DISTINCT_EXCLUDED}, {"q": TWO_THOUSAND_WORDS}, {"q": "x" * 10_000}):
        for url in ("/api/v1/search", "/api/v1/articles"):
            response = client.get(url, params)
            assert response.status_code == 400, (url, params["q"][:40])
            error = response.json()["error"]
            assert error["code"] == "query_too_complex"
            assert error["message"].startswith("the search is too complex: ")


@pytest.mark.django_db
def test_too_complex_on_the_web_form_is_a_400_page_that_says_so(client: Client, corpus: dict[str, int]) -> None:  # noqa: F811
    response = client.get("/search", {"q": DISTINCT_EXCLUDED})
    assert response.status_code == 400
    html = response.content.decode()
    assert "This search is too complex: the search has 41 different terms" in html
    assert 'class="field-error"' in html


@pytest.mark.django_db
def test_too_long_for_the_web_form_says_so(client: Client) -> None:
    response = client.get("/search", {"q": "oil " * 100})
    assert response.status_code == 400
    assert "Ensure this value has at most 300 characters" in response.content.decode()


@pytest.mark.django_db
def test_a_statement_past_the_budget_is_stopped_and_the_connection_stays_usable() -> None:
    """The backend's budget stops a long statement (SQLite: progress handler; PostgreSQL: statement_timeout)."""
    backend = get_backend()
    slow = (
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000000) SELECT count(*) FROM n"
        if connection.vendor == "sqlite" else "SELECT pg_sleep(5)"
    )
    before = _statement_timeout()
    with pytest.raises(SearchTimedOut), backend.time_budget(0.05), connection.cursor() as cursor:
        cursor.execute(slow)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
    with backend.time_budget(0.05), connection.cursor() as cursor:
        cursor.execute("SELECT 2")
    assert _statement_timeout() == before


def _statement_timeout() -> str | None:
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_a_search_past_its_budget_is_a_503_that_says_so(
    client: Client, corpus: dict[str, int], monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    backend_class = type(get_backend())

    def too_slow(*_args: object, **_kwargs: object) -> list[tuple[int, float]]:
        raise SearchTimedOut(2.0)

    monkeypatch.setattr(backend_class, "match", too_slow)
    api = client.get("/api/v1/search", {"q": "oil"})
    assert (api.status_code, api.json()["error"]["code"]) == (503, "search_timeout")
    assert "longer than its budget of 2 s" in api.json()["error"]["message"]
    page = client.get("/search", {"q": "oil"})
    assert page.status_code == 503
    assert "This search took too long to answer." in page.content.decode()


@pytest.mark.django_db
def test_the_budget_setting_reaches_the_database(corpus: dict[str, int], monkeypatch) -> None:  # noqa: F811
    """``TICKERWIRE_SEARCH_BUDGET_SECONDS`` is the budget every search runs under."""
    backend_class = type(get_backend())
    budgets: list[float] = []
    real = backend_class.time_budget

    def spy(self, seconds: float):  # type: ignore[no-untyped-def]
        budgets.append(seconds)
        return real(self, seconds)

    monkeypatch.setattr(backend_class, "time_budget", spy)
    with override_settings(TICKERWIRE_SEARCH_BUDGET_SECONDS=0.75):
        assert search(SearchQuery("oil prices")).total >= 1
    assert budgets == [0.75]
