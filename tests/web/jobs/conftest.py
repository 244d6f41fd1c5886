"""Fixtures of the jobs tests: the test kinds' call log starts empty."""

from __future__ import annotations

import pytest

from .kinds import CALLS


@pytest.fixture(autouse=True)
def _no_calls_yet() -> None:
    """Empty the test kinds' call log before each test."""
    CALLS.clear()
