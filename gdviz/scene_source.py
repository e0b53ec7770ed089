"""A scene's default problem read from its source with `ast`, so naming a job imports no manim.

Lecture scenes set ``default_config`` in the class body, as a string (a preset name), a mapping
(a config whose ``"preset"`` names its base), or an attribute of a settings object
(``LECTURE.flow.preset``). The last is followed into the module it is imported from: the object
is ``NAME = SomeDataclass()`` there, each attribute a dataclass field whose default is a
constant, ``field(default_factory=Class)`` or ``field(default_factory=lambda: {...})``.
"""

from __future__ import annotations

import ast
from pathlib import Path

__all__ = ["default_config_name"]


def default_config_name(scene_file: Path) -> str | None:
    """The preset a scene file's ``default_config`` names, or None if it sets none we can read."""
    try:
        tree = ast.parse(Path(scene_file).read_text())
    except (OSError, SyntaxError, UnicodeDecodeError):
        return None
    for node in ast.walk(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        for stmt in node.body:
            targets = getattr(stmt, "targets", None) or [getattr(stmt, "target", None)]
            value = getattr(stmt, "value", None)
            if isinstance(targets[0], ast.Name) and targets[0].id == "default_config":
                return _preset_of(_resolve(value, tree, Path(scene_file)))
    return None


def _preset_of(value: ast.AST | None) -> str | None:
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return value.value
    if isinstance(value, ast.Dict):
        for key, item in zip(value.keys, value.values, strict=True):
            if isinstance(key, ast.Constant) and key.value == "preset":
                return _preset_of(item)
    return None


def _resolve(value: ast.AST | None, tree: ast.Module, scene_file: Path) -> ast.AST | None:
    """Follow ``NAME.a.b`` to the AST of its default value, through the module NAME is from."""
    chain: list[str] = []
    while isinstance(value, ast.Attribute):
        chain.insert(0, value.attr)
        value = value.value
    if not chain or not isinstance(value, ast.Name):
        return value
    module = _imported_from(tree, value.id, scene_file)
    if module is None:
        return None
    classes = {node.name: node for node in ast.walk(module) if isinstance(node, ast.ClassDef)}
    current = _class_called(_assigned(module, value.id), classes)
    for i, attr in enumerate(chain):
        default = _field_default(current, attr)
        if i == len(chain) - 1 or default is None:
            return default
        current = _class_called(default, classes)
    return None


def _imported_from(tree: ast.Module, name: str, scene_file: Path) -> ast.Module | None:
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and any(
                (alias.asname or alias.name) == name for alias in node.names):
            parts = node.module.split(".")
            for root in Path(scene_file).resolve().parents:
                path = root.joinpath(*parts).with_suffix(".py")
                if path.is_file():
                    try:
                        return ast.parse(path.read_text())
                    except (OSError, SyntaxError, UnicodeDecodeError):
                        return None
    return None


def _assigned(module: ast.Module, name: str) -> ast.AST | None:
    for stmt in module.body:
        if (isinstance(stmt, ast.Assign) and isinstance(stmt.targets[0], ast.Name)
                and stmt.targets[0].id == name):
            return stmt.value
    return None


def _class_called(value: ast.AST | None, classes: dict[str, ast.ClassDef]) -> ast.ClassDef | None:
    """The class `value` builds: ``Class()``, ``field(default_factory=Class)`` or ``Class``."""
    if isinstance(value, ast.Call):
        factory = next((k.value for k in value.keywords if k.arg == "default_factory"), None)
        value = factory if factory is not None else value.func
    return classes.get(value.id) if isinstance(value, ast.Name) else None


def _field_default(cls: ast.ClassDef | None, attr: str) -> ast.AST | None:
    """The default of field `attr` (a factory lambda's body for ``default_factory=lambda: ...``)."""
    if cls is None:
        return None
    for stmt in cls.body:
        if (isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)
                and stmt.target.id == attr and stmt.value is not None):
            value = stmt.value
            if isinstance(value, ast.Call):
                factory = next((k.value for k in value.keywords if k.arg == "default_factory"),
                               None)
                if isinstance(factory, ast.Lambda):
                    return factory.body
            return value
    return None
