"""Serve the site's CSS and JS from the app itself (WhiteNoise), with or without ``collectstatic``."""

from __future__ import annotations

import os

from whitenoise.middleware import WhiteNoiseMiddleware


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise that skips a ``STATIC_ROOT`` not yet collected instead of warning on every start.

    With ``WHITENOISE_USE_FINDERS`` the app folders are served directly, so the demo and tests need no
    ``collectstatic``; production runs it and nginx serves ``/static/`` (docs/deploy.md).
    """

    def add_files(self, root: str, prefix: str | None = None) -> None:
        if os.path.isdir(root):
            super().add_files(root, prefix=prefix)
