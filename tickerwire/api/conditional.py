"""Validators for conditional requests.

``Last-Modified`` comes from the stories' update times; Django's ``ConditionalGetMiddleware`` adds a
content ``ETag`` and answers ``If-None-Match`` / ``If-Modified-Since`` with 304.
"""

from __future__ import annotations

from datetime import datetime

from django.http import HttpResponse
from django.utils.http import http_date


def set_last_modified(response: HttpResponse, when: datetime) -> None:
    response["Last-Modified"] = http_date(when.timestamp())
