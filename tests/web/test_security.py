"""Security settings: production refusals, headers, cookies, join codes."""

from __future__ import annotations

import math
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from caseforchange.web.settings import DEVELOPMENT_SECRET_KEY, check_production
from caseforchange.web.workshops.codes import ALPHABET, LENGTH, display, new_code, normalise


def test_production_refuses_debug_and_default_key() -> None:
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        check_production(True, "x" * 50)
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        check_production(False, DEVELOPMENT_SECRET_KEY)
    with pytest.raises(ImproperlyConfigured):
        check_production(False, "short")
    check_production(False, "k" * 50)


def test_production_settings_module_refuses_to_start(tmp_path: Any) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "CASEFORCHANGE_PRODUCTION": "1", "CASEFORCHANGE_DEBUG": "1"}
    env.pop("CASEFORCHANGE_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "-c", "import caseforchange.web.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0 and "DEBUG" in result.stderr


def test_headers(db: Any) -> None:
    response = Client().get("/join/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_join_codes() -> None:
    codes = {new_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(c) == LENGTH and set(c) <= set(ALPHABET) for c in codes)
    assert LENGTH * math.log2(len(ALPHABET)) > 39
    assert normalise(" abcd-2345 ") == "ABCD2345"
    assert display("ABCD2345") == "ABCD-2345"
