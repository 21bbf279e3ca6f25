"""Watchlists and alerts: readers follow tickers, sections and saved searches, and hear of new stories."""
