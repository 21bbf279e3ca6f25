"""Search box text is read the same way for both backends."""

from tickerwire.search.query import parse_query, to_fts5, to_websearch


def test_words_phrases_and_exclusions() -> None:
    """Words are ANDed, quotes make phrases, a leading minus excludes; stop words are dropped."""
    parsed = parse_query('the oil "price cap" -gold')
    assert [(t.words, t.negated) for t in parsed.terms] == [
        (("oil",), False),
        (("price", "cap"), False),
        (("gold",), True),
    ]
    assert to_fts5(parsed) == '(("oil" AND "price cap") NOT ("gold"))'
    assert to_websearch(parsed) == 'oil "price cap" -gold'


def test_queries_with_nothing_to_match_are_empty() -> None:
    """Only stop words, only exclusions or only punctuation leave nothing to search for."""
    assert parse_query("the of and").is_empty
    assert parse_query("-oil").is_empty
    assert parse_query('"" ( ) *').is_empty


def test_special_characters_cannot_break_the_match_expression() -> None:
    """FTS5 operators and quotes typed by a reader are read as words, not syntax."""
    parsed = parse_query('NEAR(oil gas) AND "unbalanced')
    assert to_fts5(parsed) == '("near oil" AND "gas" AND "unbalanced")'
    assert to_websearch(parsed) == '"near oil" gas unbalanced'


def test_hyphenated_and_dotted_tokens_become_phrases() -> None:
    """'year-on-year' and '8.1' match their parts in order."""
    parsed = parse_query("year-on-year 8.1")
    assert [t.words for t in parsed.terms] == [("year", "on", "year"), ("8", "1")]
