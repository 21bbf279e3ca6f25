"""Output formats for a stored article, one formatter per format, picked by name or media type."""

from __future__ import annotations

from tickerwire.api.formatters.ninjs import MEDIA_TYPE as NINJS_MEDIA_TYPE
from tickerwire.api.formatters.ninjs import format_canceled_ninjs, format_ninjs

__all__ = ["NINJS_MEDIA_TYPE", "format_canceled_ninjs", "format_ninjs"]
