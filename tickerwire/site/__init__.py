"""The reader website: views, page view models, feeds, sitemaps and templates (the site shell included)."""
