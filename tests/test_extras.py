"""The map from optional modules to the extras that install them."""

from __future__ import annotations

import tomllib
from pathlib import Path

from caseforchange.extras import PROVIDED_BY, install_hint, installed

PYPROJECT = Path(__file__).parents[1] / "pyproject.toml"


def test_every_extra_named_exists_in_pyproject() -> None:
    extras = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"][
        "optional-dependencies"
    ]
    assert set(PROVIDED_BY.values()) <= set(extras)
    assert {"reports", "web", "text", "bench", "dev"} <= set(extras)


def test_install_hint() -> None:
    assert install_hint("django.db", "the web app") == (
        "the web app needs the optional 'web' dependencies (module 'django.db' is not "
        "installed): pip install 'caseforchange[web]'"
    )
    assert install_hint("numpy", "anything") is None


def test_installed() -> None:
    assert installed("numpy")
    assert not installed("caseforchange_no_such_module")
