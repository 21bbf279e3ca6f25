"""Finance sentiment on sentences written for these tests (fictional companies)."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from lab.sentiment_training import read_training_set
from tickerwire.core.draft import ArticleDraft, Block
from tickerwire.core.enrichment import TickerTag
from tickerwire.enrich.embeddings import embedding_text, get_backend
from tickerwire.enrich.sentiment import (
    MODEL_PATH,
    article_sentiment,
    embedding_model,
    learned_sentiment,
    loaded_head,
    score_sentiment,
    ticker_sentiment,
)
from tickerwire.enrich.sentiment_model import load_head, save_head


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


def test_swing_between_profit_and_loss():
    """A profit set against a loss is a swing: positive into profit, negative into loss."""
    swing = "Pretax profit was EUR 2.0 mn, compared to a loss of EUR 5 mn a year ago."
    assert score_sentiment(swing).label == "positive"
    assert score_sentiment("Brunvik swung to an operating loss of EUR 3 mn.").label == "negative"
    assert score_sentiment("Operating loss was EUR 3 mn compared with a profit of EUR 1 mn.").label == "negative"
    late = "Ostrell posted a EUR 1.49 million loss in the quarter compared with a 1.70 million profit a year ago."
    assert score_sentiment(late).label == "negative"


def test_jobs_are_a_metric():
    """Cutting jobs is bad news and hiring good news; 'up to' is a hedge, not a rise."""
    assert score_sentiment("Keltavo will cut up to 60 jobs at its Pori plant.").label == "negative"
    assert score_sentiment("Keltavo plans to hire 80 more employees in Oulu.").label == "positive"


def test_price_moves_lay_offs_and_fines():
    """A bare percentage move reads as a price; 'lay off' in two words and a fine are bad news."""
    assert score_sentiment("Brunvik AB fell 8.9 percent to 13.35 kronor.").label == "negative"
    assert score_sentiment("Keltavo rose 2.4 pct to 9.51 euros.").label == "positive"
    assert score_sentiment("Costs rose 5 % in the period.").label == "negative"
    assert score_sentiment("Ostrell will lay off staff from its support functions.").label == "negative"
    assert score_sentiment("The regulator ordered Ostrell to pay a fine.").label == "negative"


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


def test_training_set_is_ours_and_shaped_like_news():
    """The shipped training set has at least 600 labelled sentences, neutral the largest class."""
    rows = read_training_set()
    counts = Counter(label for _, label in rows)
    assert len(rows) >= 600
    assert set(counts) == {"positive", "negative", "neutral"}
    assert counts["neutral"] == max(counts.values())
    assert len({text for text, _ in rows}) == len(rows)


def test_training_set_rejects_bad_labels(tmp_path):
    """A row with an unknown label is an error naming the line, not a silent skip."""
    path = tmp_path / "train.jsonl"
    path.write_text('{"text": "Profit rose.", "label": "positive"}\n{"text": "Hm.", "label": "mixed"}\n')
    with pytest.raises(ValueError, match=":2:"):
        read_training_set(path)


def test_model_file_is_small_and_holds_no_text():
    """The shipped head is weights, the three labels and the embedding model's name, under 2 MB."""
    assert MODEL_PATH.stat().st_size < 2_000_000
    with np.load(MODEL_PATH, allow_pickle=False) as data:
        strings = {s for key in data.files if data[key].dtype.kind == "U" for s in data[key].ravel().tolist()}
    assert strings == {"positive", "negative", "neutral", "all-MiniLM-L6-v2-onnx-int8"}


def test_hashed_words_are_part_of_the_head(tmp_path):
    """The head reads hashed words beside the embedding: the same vector with other words scores differently,
    and a saved head loads back to the same probabilities."""
    head = loaded_head()
    assert head.word_buckets > 0
    vector = np.zeros((1, head.coef.shape[1] - head.word_buckets - 5), dtype=np.float32)
    rules = np.zeros((1, 5), dtype=np.float32)
    laid_off = head.predict_proba(vector, rules, ["temporary lay-offs at the plant"])
    signed = head.predict_proba(vector, rules, ["signed a supply agreement"])
    assert not np.allclose(laid_off, signed)
    save_head(tmp_path / "head.npz", head)
    again = load_head(tmp_path / "head.npz")
    assert np.allclose(again.predict_proba(vector, rules, ["signed a supply agreement"]), signed)


def test_learned_head_with_the_real_embedding():
    """With the MiniLM embedding, being named sole supplier leans positive where the rules see nothing,
    a layoff reads negative and a plain fact neutral; scores stay in [-1, 1]; no embedding keeps the rules."""
    sentences = [
        "Ilvesta has been named the sole supplier of ventilation units for the new hospital.",
        "Ilvesta said it will close its Kajaani mill and cut 140 jobs.",
        "Ilvesta has its head office in Kuopio and about 700 employees.",
    ]
    vectors = get_backend(None).embed(sentences)
    learned = [score_sentiment(s, v) for s, v in zip(sentences, vectors, strict=True)]
    assert score_sentiment(sentences[0]).score == 0.0
    assert learned[0].score > 0.15
    assert [s.label for s in learned[1:]] == ["negative", "neutral"]
    assert all(-1.0 <= s.score <= 1.0 for s in learned)
    story = ArticleDraft(headline="Ilvesta to hire 80 people as orders pile up",
                         body=[Block("paragraph", "Ilvesta will add a second shift at its Kuopio factory.")])
    vector = get_backend(None).embed([embedding_text(story)])[0]
    assert article_sentiment(story, vector).label == "positive"
    assert article_sentiment(story, None) == article_sentiment(story)


def test_head_refuses_vectors_of_another_size():
    """A vector from a different embedding model is a clear error, not a silent wrong answer."""
    assert embedding_model() == get_backend(None).model_name
    with pytest.raises(ValueError, match="expects"):
        learned_sentiment(["Profit rose."], np.zeros(10, dtype=np.float32), head=loaded_head())
