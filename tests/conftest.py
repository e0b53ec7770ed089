"""Shared fixtures and options of the test suite.

Options
-------
--regenerate-control
    Rewrite the control stills in ``tests/control_data/`` from the current code, then fail
    with "regenerated: review the diff" (old | new | diff PNGs in ``tests/_output/``): review
    them, commit them, and run again.
--show-diff
    When a still differs, write ``tests/_output/<name>_diff.png`` (control | render | diff).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONTROL_DIR = Path(__file__).resolve().parent / "control_data"
OUTPUT_DIR = Path(__file__).resolve().parent / "_output"
GDVIZ_ENV = ("GDVIZ_CONFIG", "GDVIZ_PRESET", "GDVIZ_LANG")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("gdviz")
    group.addoption("--regenerate-control", action="store_true", default=False,
                    help="rewrite tests/control_data from the current render (the tests then fail)")
    group.addoption("--show-diff", action="store_true", default=False,
                    help="write a diff PNG to tests/_output when a control still differs")


@pytest.fixture
def regenerate_control(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--regenerate-control"))


@pytest.fixture
def show_diff(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--show-diff"))


@pytest.fixture
def default_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The default preset in English, whatever the caller's environment says."""
    for key in GDVIZ_ENV:
        monkeypatch.delenv(key, raising=False)


@pytest.fixture
def clean_environ() -> dict[str, str]:
    """A copy of os.environ without GDVIZ_* variables, for subprocesses."""
    return {k: v for k, v in os.environ.items() if k not in GDVIZ_ENV}
