"""The kenniskring service's allowlist without a hub: which requests reach a handler at all (the hub tests try
the same paths through the proxy; this one runs everywhere, fast)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from wijkkit.server.kenniskring import DASHBOARD, Toegestaan

PREFIX = "/services/kenniskring/"
KERNEL = "b99a0ed0-4154-4532-ba00-0cab4dfd738d"


@pytest.mark.parametrize("method,path", [
    ("GET", ""), ("GET", f"voila/render/{DASHBOARD}"), ("GET", "voila/static/voila.js"),
    ("GET", f"api/kernels/{KERNEL}"), ("GET", f"api/kernels/{KERNEL}/channels"),
    ("POST", f"voila/api/shutdown/{KERNEL}"), ("GET", "oauth_callback"),
])
def test_what_the_page_needs_is_let_through(method, path):
    assert Toegestaan(PREFIX).match(SimpleNamespace(method=method, path=PREFIX + path)) is None


@pytest.mark.parametrize("method,path", [
    ("GET", "voila/render/werkbank_coderen.ipynb"), ("GET", f"voila/render/{DASHBOARD}/../werkbank_coderen.ipynb"),
    ("GET", f"voila/render/{DASHBOARD}x"), ("GET", "api/kernels"), ("POST", "api/kernels"),
    ("DELETE", f"api/kernels/{KERNEL}"), ("POST", f"api/kernels/{KERNEL}/restart"), ("GET", "api/contents"),
    ("GET", f"files/{DASHBOARD}"), ("GET", f"voila/files/{DASHBOARD}"), ("GET", "voila/tree"), ("GET", "lab"),
    ("GET", "api/sessions"), ("GET", "api/terminals"), ("PUT", f"voila/render/{DASHBOARD}"),
    ("GET", "api/kernels/niet-een-id/channels"), ("GET", "/hub/api/users"),
])
def test_everything_else_is_refused(method, path):
    assert Toegestaan(PREFIX).match(SimpleNamespace(method=method, path=PREFIX + path)) == {}
