"""No one- or two-letter names outside mathematical formulas (issue 11).

Every name the code defines (assignment and ``with``/``for``/comprehension targets, function
parameters, attributes assigned, ``except ... as`` names, import aliases, functions and classes)
is at least three letters long, leading underscores aside, unless it is one of the symbols of
the formulas the code implements, listed below with the reason each is allowed. Extending the
check to another package means adding its folder to `CHECKED_DIRS`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: Folders whose Python files are checked.
CHECKED_DIRS: tuple[str, ...] = ("gdmath", "gdviz", "scenes")

#: Short names allowed anywhere: each is a symbol of the mathematics the code implements.
MATH_SYMBOLS: frozenset[str] = frozenset({
    # The neuron's parameters (weight, bias), its input, target and pre-activation z = w·x + b.
    "w", "b", "x", "y", "z",
    # Start and end points of a step or a segment, (w0, b0) → (w1, b1).
    "w0", "b0", "w1", "b1",
    # A step or a direction in parameter space, (dw, db).
    "dw", "db",
    # The loss l(w, b), its gradient g (components gw = ∂l/∂w, gb = ∂l/∂b) and Hessian h.
    "l", "g", "gw", "gb", "h",
    # The loss surface on a grid: W, B are the w and b at every node, L the loss there.
    "W", "B", "L",
    # Time or step index t, a standardised input u, a count n, indices i, j, k.
    "t", "u", "n", "i", "j", "k",
    # Grid offsets (Δi, Δj) of a neighbouring node.
    "di", "dj",
    # The bounds of an interval [lo, hi] (a window, a bisection).
    "lo", "hi",
    # The learning rate η as torch spells it, and momentum's μ.
    "lr", "mu",
    # Not a symbol but the universal alias of numpy: ``import numpy as np``.
    "np",
})

#: Short names allowed in one module only, where they are that module's formula symbols.
MODULE_SYMBOLS: dict[str, frozenset[str]] = {
    # Adam's and RMSprop's moment estimates mₜ and vₜ (m̂ₜ, v̂ₜ after bias correction).
    "gdmath/optimizers.py": frozenset({"m", "v"}),
    # An Activation's φ and φ′ (public fields ``f`` and ``df``, beside ``d2f`` for φ″); and
    # ``Standardization.of(x)``, which reads as words rather than as an abbreviation.
    "gdmath/activations.py": frozenset({"f", "df"}),
    "gdmath/landscape.py": frozenset({"of"}),
    # gdmath.OPTIMIZERS' key for plain gradient descent: the labels are looked up by that key
    # (``getattr(labels, name)``) and the SGD study keeps its GD run under it.
    "scenes/kit/labels/fields.py": frozenset({"gd"}),
    "scenes/kit/lecture_studies.py": frozenset({"gd"}),
    # Manim's own signatures, overridden: ``update_mobjects(dt)`` and
    # ``pointwise_become_partial(vmobject, a, b)``.
    "scenes/kit/planned.py": frozenset({"dt"}),
    "scenes/kit/render3d/surface.py": frozenset({"a"}),
    # The mesh's node counts (nw, nb) of the docs' shape notation, and the two edge vectors
    # v1, v2 of a unit normal, named as manim's ``get_unit_normal(v1, v2)``.
    "scenes/kit/render3d/shading.py": frozenset({"nw", "nb", "v1", "v2"}),
}


def _targets(node: ast.AST) -> Iterator[tuple[str, int]]:
    """The names bound by an assignment target (attributes included, subscripts not)."""
    if isinstance(node, ast.Name):
        yield node.id, node.lineno
    elif isinstance(node, ast.Attribute):
        yield node.attr, node.lineno
    elif isinstance(node, ast.Starred):
        yield from _targets(node.value)
    elif isinstance(node, ast.Tuple | ast.List):
        for element in node.elts:
            yield from _targets(element)


def defined_names(tree: ast.AST) -> Iterator[tuple[str, int]]:
    """Every (name, line) that `tree` defines."""
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            yield node.name, node.lineno
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            arguments = node.args
            for argument in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs,
                             arguments.vararg, arguments.kwarg):
                if argument is not None:
                    yield argument.arg, argument.lineno
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                yield from _targets(target)
        elif isinstance(node, ast.AugAssign | ast.AnnAssign | ast.For | ast.AsyncFor
                        | ast.comprehension):
            yield from _targets(node.target)
        elif isinstance(node, ast.NamedExpr):
            yield node.target.id, node.lineno
        elif isinstance(node, ast.With | ast.AsyncWith):
            for item in node.items:
                if item.optional_vars is not None:
                    yield from _targets(item.optional_vars)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            yield node.name, node.lineno
        elif isinstance(node, ast.Import | ast.ImportFrom):
            for alias in node.names:
                if alias.asname:
                    yield alias.asname, node.lineno


def short_names(source: str, module: str) -> list[str]:
    """The one- or two-letter names `source` defines that no allow-list covers, as "line: name"."""
    allowed = MATH_SYMBOLS | MODULE_SYMBOLS.get(module, frozenset())
    found = []
    for name, line in defined_names(ast.parse(source)):
        bare = name.lstrip("_")  # a private _v is the symbol v
        if bare and len(bare) <= 2 and bare not in allowed:
            found.append(f"{line}: {name}")
    return sorted(set(found), key=lambda entry: int(entry.split(":")[0]))


def _modules() -> list[Path]:
    return sorted(path for folder in CHECKED_DIRS for path in (ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("path", _modules(), ids=lambda path: path.relative_to(ROOT).as_posix())
def test_no_short_names(path: Path):
    module = path.relative_to(ROOT).as_posix()
    found = short_names(path.read_text(encoding="utf-8"), module)
    assert not found, (f"{module} defines one- or two-letter names that are not formula symbols "
                       f"(rename them, or allow-list a true symbol in tests/test_names.py): "
                       + ", ".join(found))


def test_the_check_sees_every_kind_of_definition():
    source = ("import os as os_\n"
              "s = 'x'\n"
              "def fn(ab, *cd, ef=1, **gh): pass\n"
              "for ij in []: pass\n"
              "[mn for op in []]\n"
              "with open('f') as fh: pass\n"
              "try: pass\n"
              "except OSError as er: pass\n"
              "self.qr = 1\n"
              "(st := 1)\n"
              "class Ab: pass\n"
              "w, b, np, _v = 1, 2, 3, 4\n")
    names = {entry.split(": ")[1] for entry in short_names(source, "gdviz/example.py")}
    assert names == {"s", "fn", "ab", "cd", "ef", "gh", "ij", "op", "fh", "er", "qr", "st", "Ab",
                     "_v"}
    assert "_v" not in {entry.split(": ")[1]
                        for entry in short_names(source, "gdmath/optimizers.py")}


def test_every_checked_folder_exists():
    for folder in CHECKED_DIRS:
        assert (ROOT / folder / "__init__.py").is_file(), folder
