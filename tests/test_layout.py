"""The house rules of the layout: scenes/ holds only scene files, and no module or function of
the drawing and publishing code is over its size limit."""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCENE_FILES = sorted(p for p in (ROOT / "scenes").glob("*.py") if p.name != "__init__.py")


def test_scenes_folder_holds_the_ten_scene_files():
    names = {p.stem for p in SCENE_FILES}
    assert names == {"descent", "valley", "contour", "learning_rates", "optimizers", "flow",
                     "sgd", "landscapes", "curvature", "basins"}


@pytest.mark.parametrize("path", SCENE_FILES, ids=lambda p: p.name)
def test_each_scene_file_defines_exactly_one_scene(path):
    from manim import Scene

    module = importlib.import_module(f"scenes.{path.stem}")
    found = [c for _, c in inspect.getmembers(module, inspect.isclass)
             if issubclass(c, Scene) and c.__module__ == module.__name__]
    assert len(found) == 1, (path.name, found)


def python_files():
    for folder in ("gdmath", "scenes", "gdviz", "tests", "benchmarks"):
        yield from sorted((ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("path", list(python_files()), ids=lambda p: str(p.relative_to(ROOT)))
def test_modules_and_functions_stay_small(path):
    source = path.read_text()
    assert len(source.splitlines()) <= 600, path
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = node.end_lineno - node.lineno + 1
            assert length <= 80, f"{path}:{node.lineno} {node.name} has {length} lines"
