"""Every visible piece of a scene, for the frame-fit and layout tests.

`visible_parts` walks mobjects held anywhere: in lists, tuples, sets, dicts (their values) and
groups (a mobject's whole family), nested in any way, and yields each drawn piece once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from manim import Mobject, VMobject


def visible_parts(roots: Iterable[object], min_opacity: float | None = None) -> Iterator[VMobject]:
    """Each `VMobject` with points under `roots`, once.

    Parameters
    ----------
    roots : iterable
        Mobjects and containers of them (lists, tuples, sets, dicts, nested).
    min_opacity : float, optional
        Skip pieces whose stroke and fill are both at most this opaque (not drawn).
    """
    seen: set[int] = set()
    stack = list(roots)[::-1]
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, Mapping):
            stack.extend(list(item.values())[::-1])
        elif isinstance(item, list | tuple | set | frozenset):
            stack.extend(list(item)[::-1])
        elif isinstance(item, Mobject):
            for part in item.get_family():
                if part is not item and id(part) in seen:
                    continue
                seen.add(id(part))
                if not isinstance(part, VMobject) or not part.has_points():
                    continue
                if min_opacity is not None and max(part.get_stroke_opacity(),
                                                   part.get_fill_opacity()) <= min_opacity:
                    continue
                yield part


def built_parts(scene) -> list[VMobject]:
    """Every piece held by the scene's attributes (built, shown or not), not its camera."""
    camera = type(scene.camera)
    roots = [v for v in vars(scene).values() if not isinstance(v, camera)]
    return list(visible_parts(roots))
