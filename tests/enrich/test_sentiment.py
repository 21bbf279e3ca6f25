"""Finance sentiment on sentences written for these tests (fictional companies)."""

from __future__ import annotations

from tickerwire.core.draft import ArticleDraft, Block
from tickerwire.core.enrichment import TickerTag
from tickerwire.enrich.sentiment import article_sentiment, score_sentiment, ticker_sentiment


def test_direction_on_a_good_metric():
    """A rise in profit is positive and a fall in sales negative, though neither word is in the LM lists."""
    assert score_sentiment("Operating profit at Keltavo rose to EUR 14 mn from EUR 9 mn.").label == "positive"
    assert score_sentiment("Net sales at Keltavo decreased by 12% in the quarter.").label == "negative"


def test_direction_on_a_bad_metric():
    """A loss that narrows is good news; costs that climb are bad news."""
    assert score_sentiment("Brunvik's operating loss narrowed to EUR 2 mn.").label == "positive"
    assert score_sentiment("Raw material costs climbed sharply at Brunvik.").label == "negative"


def test_compared_values_without_a_direction_word():
    """'orders of 120 mn compared with 95 mn' is an increase in a good metric."""
    sentence = "New orders totalled EUR 120 mn, compared with EUR 95 mn a year earlier."
    assert score_sentiment(sentence).label == "positive"


def test_negation_flips():
    """'did not improve' is not positive."""
    assert score_sentiment("Margins at Ostrell did not improve during the year.").label == "negative"


def test_neutral_statement_and_score_range():
    """A plain description is neutral with score 0; scores stay in [-1, 1]."""
    neutral = score_sentiment("The company is headquartered in Tampere and employs about 300 people.")
    assert neutral.label == "neutral" and neutral.score == 0.0
    strong = score_sentiment("Profit soared, sales jumped and orders surged to a record.")
    assert strong.label == "positive" and 0 < strong.score <= 1


def test_article_and_ticker_sentiment():
    """Each ticker is scored on the sentences that mention it; a headline-only ticker uses its headline."""
    body = "Alvena said quarterly profit fell 30%. Borsk said its revenue rose 15% to a record."
    draft = ArticleDraft(headline="Mixed results from Alvena and Borsk", body=[Block("paragraph", body)])
    a_start = body.index("Alvena")
    b_start = body.index("Borsk")
    tags = [
        TickerTag("ALV", None, "Alvena", 0.9, [[a_start, a_start + 6]]),
        TickerTag("BRS", None, "Borsk", 0.9, [[b_start, b_start + 5]]),
        TickerTag("CSQ", None, "Cosq", 0.5, []),
    ]
    result = ticker_sentiment(draft, tags)
    assert result["ALV"].label == "negative"
    assert result["BRS"].label == "positive"
    assert result["CSQ"] == article_sentiment(draft)  # named nowhere: the story's own sentiment
