"""Fit the section heads of :mod:`tickerwire.enrich.section_model` (used by the training script and benches).

Importing this module needs only scikit-learn; it reads no corpus itself. The word heads' C was chosen
earlier on held-out splits of the Reuters-21578 train part and of AG News + BBC; the embedding softmax and
the stacker keep scikit-learn's default C, and the stacker's weights are fitted by an inner CV of whatever
rows it is given, so ``bench/sections_eval.py`` measures it on rows it never saw.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.multiclass import OneVsRestClassifier

from lab.section_corpora import REUTERS_SECTIONS, LabelledText
from tickerwire.enrich.section_model import (
    Calibration,
    EmbeddingHead,
    LinearHead,
    business_features,
    make_hasher,
    stack_features,
)
from tickerwire.enrich.sections import MIN_SCORE, SHARED_LABEL, SectionModel

REGULARISATION_C = 30.0


def fit_multilabel_head(name: str, texts: Sequence[str], labels: Sequence[Sequence[str]],
                        label_names: Sequence[str]) -> LinearHead:
    """Fit one sigmoid per label (class-balanced, since Forex or Economy stories are a small minority)."""
    counts = make_hasher().transform(texts)
    tfidf = TfidfTransformer(sublinear_tf=True)
    features = tfidf.fit_transform(counts)
    targets = np.array([[name_ in row for name_ in label_names] for row in labels], dtype=np.int8)
    model = OneVsRestClassifier(
        LogisticRegression(C=REGULARISATION_C, max_iter=3000, class_weight="balanced")
    ).fit(features, targets)
    coef = np.vstack([estimator.coef_[0] for estimator in model.estimators_])
    intercept = np.array([estimator.intercept_[0] for estimator in model.estimators_])
    return _head(name, "multilabel", list(label_names), tfidf, counts, coef, intercept)


def fit_multiclass_head(name: str, texts: Sequence[str], labels: Sequence[str]) -> LinearHead:
    """Fit one softmax over the labels seen (each text has exactly one; at least three labels)."""
    if len(set(labels)) < 3:
        raise ValueError("a multiclass head needs at least three labels (two would give one weight row)")
    counts = make_hasher().transform(texts)
    tfidf = TfidfTransformer(sublinear_tf=True)
    features = tfidf.fit_transform(counts)
    model = LogisticRegression(C=REGULARISATION_C, max_iter=3000).fit(features, list(labels))
    return _head(name, "multiclass", [str(c) for c in model.classes_], tfidf, counts, model.coef_, model.intercept_)


def _head(name: str, kind: str, label_names: list[str], tfidf: TfidfTransformer, counts: object,
          coef: np.ndarray, intercept: np.ndarray) -> LinearHead:
    """Keep only the buckets seen in training: the rest have zero weight and the largest idf."""
    idf = tfidf.idf_.astype(np.float32)
    seen = np.flatnonzero(np.asarray(counts.sum(axis=0)).ravel() > 0).astype(np.int32)  # type: ignore[attr-defined]
    unseen_idf = float(idf[np.setdiff1d(np.arange(idf.size), seen)[0]]) if seen.size < idf.size else 0.0
    return LinearHead(
        name=name,
        kind=kind,  # type: ignore[arg-type]
        labels=label_names,
        columns=seen,
        idf=idf[seen],
        default_idf=unseen_idf,
        coef=np.asarray(coef, dtype=np.float32)[:, seen],
        intercept=np.asarray(intercept, dtype=np.float32),
    )


EMBEDDING_C = 1.0  # scikit-learn's default, for the embedding softmax and the stacker alike
STACK_FOLDS = 3


def fit_embedding_head(name: str, texts: Sequence[str], embeddings: np.ndarray, labels: Sequence[str],
                       model_name: str, *, folds: int = STACK_FOLDS, seed: int = 0) -> EmbeddingHead:
    """Fit a softmax over sentence embeddings and the stacker that combines it with the word head.

    The stacker is fitted on out-of-fold predictions (``folds``-fold CV over these rows) of both heads, so
    it sees how each does on text it was not trained on; the embedding softmax is then refitted on all rows.
    The embedding softmax is class-balanced (Politics is the smallest label); the stacker corrects the bias.
    """
    if len(set(labels)) < 3:
        raise ValueError("an embedding head needs at least three labels (two would give one weight row)")
    targets = np.asarray(labels)
    label_names = sorted(set(labels))
    word_scores = np.zeros((len(targets), len(label_names)))
    embedding_scores = np.zeros_like(word_scores)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train, test in splitter.split(embeddings, targets):
        word_head = fit_multiclass_head(name, [texts[i] for i in train], list(targets[train]))
        word_scores[test] = word_head.predict_proba(make_hasher().transform([texts[i] for i in test]))
        embedding_scores[test] = _embedding_softmax(embeddings[train], targets[train]).predict_proba(embeddings[test])
    stacker = LogisticRegression(C=EMBEDDING_C, max_iter=3000).fit(stack_features(word_scores, embedding_scores),
                                                                   targets)
    softmax = _embedding_softmax(embeddings, targets)
    return EmbeddingHead(name, label_names, softmax.coef_.astype(np.float32), softmax.intercept_.astype(np.float32),
                         model_name, stacker.coef_.astype(np.float32), stacker.intercept_.astype(np.float32))


def _embedding_softmax(embeddings: np.ndarray, labels: np.ndarray) -> LogisticRegression:
    return LogisticRegression(C=EMBEDDING_C, max_iter=3000, class_weight="balanced").fit(embeddings, labels)


BUSINESS_C = 1.0  # scikit-learn's default, as for the stacker above


@dataclass(frozen=True)
class SectionRows:
    """Training rows of both corpora with their embeddings (one row each, of ``embedding_text``)."""

    reuters: Sequence[LabelledText]
    reuters_vectors: np.ndarray
    news: Sequence[LabelledText]
    news_vectors: np.ndarray


def fit_section_model(rows: SectionRows, model_name: str, *, folds: int = STACK_FOLDS, seed: int = 0) -> SectionModel:
    """Fit the word heads, the news embedding head and the two Business stackers; thresholds stay at 0.5.

    Each Business stacker is fitted on out-of-fold probabilities (a head never scores rows it was trained
    on): the Reuters head's on the Reuters rows, the news head's (alone, or stacked with the embedding) on
    the news rows, the Business head's on both; across corpora the head trained on all of its corpus scores
    the other. Both corpora weigh the same in the fit. Call :func:`lab.section_calibration.calibrate` on
    held-out rows afterwards.
    """
    reuters_texts, news_texts = [r.text for r in rows.reuters], [r.text for r in rows.news]
    reuters_labels, news_labels = [r.sections for r in rows.reuters], [r.sections[0] for r in rows.news]
    all_texts, all_labels = reuters_texts + news_texts, [*reuters_labels, *((label,) for label in news_labels)]
    reuters = fit_multilabel_head("reuters", reuters_texts, reuters_labels, REUTERS_SECTIONS)
    news = fit_multiclass_head("news", news_texts, news_labels)
    business = fit_multilabel_head("business", all_texts, all_labels, (SHARED_LABEL,))
    news_embedding = fit_embedding_head("news", news_texts, rows.news_vectors, news_labels, model_name)
    hasher = make_hasher()
    reuters_counts, news_counts = hasher.transform(reuters_texts), hasher.transform(news_texts)
    all_counts = hasher.transform(all_texts)
    # Reuters rows: Reuters head out of fold; the news heads trained on all news rows.
    reuters_on_reuters = np.zeros((len(reuters_texts), len(REUTERS_SECTIONS)))
    for train, test in KFold(n_splits=folds, shuffle=True, random_state=seed).split(reuters_texts):
        fold_head = fit_multilabel_head("reuters", [reuters_texts[i] for i in train],
                                        [reuters_labels[i] for i in train], REUTERS_SECTIONS)
        reuters_on_reuters[test] = fold_head.predict_proba(reuters_counts[test])
    news_words_on_reuters = news.predict_proba(reuters_counts)
    news_stacked_on_reuters = news_embedding.combine(news_words_on_reuters, rows.reuters_vectors)
    # News rows: news heads out of fold; the Reuters head trained on all Reuters rows.
    news_words_on_news = np.zeros((len(news_texts), len(news.labels)))
    news_stacked_on_news = np.zeros_like(news_words_on_news)
    targets = np.asarray(news_labels)
    for train, test in StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed).split(news_texts, targets):
        fold_texts, fold_labels = [news_texts[i] for i in train], list(targets[train])
        fold_words = fit_multiclass_head("news", fold_texts, fold_labels).predict_proba(news_counts[test])
        fold_refiner = fit_embedding_head("news", fold_texts, rows.news_vectors[train], fold_labels, model_name)
        news_words_on_news[test] = fold_words
        news_stacked_on_news[test] = fold_refiner.combine(fold_words, rows.news_vectors[test])
    reuters_on_news = reuters.predict_proba(news_counts)
    # Both corpora's rows: the Business head out of fold.
    business_on_all = np.zeros(len(all_texts))
    for train, test in KFold(n_splits=folds, shuffle=True, random_state=seed).split(all_texts):
        fold_head = fit_multilabel_head("business", [all_texts[i] for i in train], [all_labels[i] for i in train],
                                        (SHARED_LABEL,))
        business_on_all[test] = fold_head.predict_proba(all_counts[test])[:, 0]
    is_business = np.array([SHARED_LABEL in labels for labels in all_labels])
    weights = np.r_[np.full(len(reuters_texts), 1 / len(reuters_texts)), np.full(len(news_texts), 1 / len(news_texts))]
    calibrations = []
    for news_on_reuters, news_on_news in ((news_words_on_reuters, news_words_on_news),
                                          (news_stacked_on_reuters, news_stacked_on_news)):
        features = business_features(np.vstack([reuters_on_reuters, reuters_on_news]),
                                     np.vstack([news_on_reuters, news_on_news]), business_on_all)
        stacker = LogisticRegression(C=BUSINESS_C, max_iter=3000).fit(features, is_business,
                                                                      sample_weight=weights * len(weights))
        calibrations.append(Calibration(stacker.coef_[0].astype(np.float32), float(stacker.intercept_[0]),
                                        dict.fromkeys([*REUTERS_SECTIONS, *news.labels], 0.5), MIN_SCORE))
    return SectionModel(reuters, news, business, calibrations[0], news_embedding, calibrations[1])
