"""The site's one hook (tickerwire.site.hooks): apps add panels to named slots without the site importing them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils.html import format_html

from tickerwire.site import hooks


@pytest.fixture
def probe_panels() -> Iterator[None]:
    yield
    for name in ("test.second", "test.first", "test.plain"):
        hooks.unregister_panel(name)


def test_panels_render_in_their_slot_in_order_and_plain_strings_are_escaped(probe_panels: None) -> None:
    request = RequestFactory().get("/ticker/ACME/")
    hooks.register_panel("test.second", "ticker", lambda req, obj: format_html("<b>{}</b>", obj["symbol"]), order=20)
    hooks.register_panel("test.first", "ticker", lambda req, obj: format_html("<i>{}</i>", req.path), order=10)
    hooks.register_panel("test.plain", "ticker", lambda req, obj: "<script>x</script>", order=30)

    html = Template('{% load tickerwire_site %}{% slot_panels "ticker" symbol=sym name="Acme" %}').render(
        Context({"request": request, "sym": "ACME"}))

    assert html.index("<i>/ticker/ACME/</i>") < html.index("<b>ACME</b>")
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "<script>" not in html
    assert "<b>" not in hooks.render_slot("section", request, {"slug": "x", "name": "X"})


def test_registering_a_name_again_replaces_it(probe_panels: None) -> None:
    request = RequestFactory().get("/")
    hooks.register_panel("test.first", "section", lambda req, obj: "old")
    hooks.register_panel("test.first", "section", lambda req, obj: "new")
    assert str(hooks.render_slot("section", request, {})).count("new") == 1
    assert "old" not in hooks.render_slot("section", request, {})


def test_an_unknown_slot_is_refused_with_the_slots_named() -> None:
    with pytest.raises(ValueError, match="account, article, profile, search, section, ticker"):
        hooks.register_panel("test.first", "sidebar", lambda req, obj: "")
