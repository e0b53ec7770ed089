"""A `DecimalNumber` that is cheap to update every frame and looks exactly the same.

Manim's `DecimalNumber.set_value` rebuilds the number from cached glyphs, but copies each glyph
with `copy.deepcopy`, which also copies the glyph's parsed SVG path object and every attribute:
about 4 ms per number at 1080p on our machines, i.e. a quarter of a 3D frame for the four live
numbers of the HUD. `FastDecimalNumber` copies only what a copy may change (the point and colour
arrays and the lists of submobjects) and shares the rest, and skips the rebuild when the shown
text does not change (a resting ball, the step counter).
"""

from __future__ import annotations

import copy
from typing import Any, Self

import numpy as np
from manim import DecimalNumber, ManimColor, Mobject, VMobject, config
from manim.constants import RendererType
from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath
from manim.mobject.text.numbers import string_to_mob_map

__all__ = ["FastDecimalNumber", "light_copy", "share_parsed_svg_paths"]


def _anchors_of_family(mob: Mobject, out: list[np.ndarray], active: set[int]) -> bool:
    """Append the anchors of `mob`'s family to `out`; False where manim's own code is needed."""
    key = id(mob)
    if key in active:
        return True
    active.add(key)
    try:
        if not isinstance(mob, VMobject):
            return False
        points = mob.points
        if type(mob).get_anchors is not VMobject.get_anchors:
            out.append(np.asarray(mob.get_anchors(), dtype=float).reshape(-1, 3))
        elif len(points) == 1:
            out.append(points)
        elif len(points):
            n = mob.n_points_per_cubic_curve
            starts, ends = points[::n], points[n - 1::n]
            if len(starts) != len(ends):
                return False
            both = np.empty((2 * len(starts), points.shape[1]))
            both[0::2] = starts
            both[1::2] = ends
            out.append(both)
        return all(_anchors_of_family(sub, out, active) for sub in mob.submobjects)
    finally:
        active.discard(key)


def _fast_points_defining_boundary(self: VMobject) -> np.ndarray:
    """`VMobject.get_points_defining_boundary` (the family's anchors) without per-point lists.

    Manim builds a Python list of every anchor of every member; bounding boxes (``next_to``,
    ``move_to``, ``arrange``) of a number then cost more than the rest of its update. The same
    anchors come out here as one array (only their extremes are ever used).
    """
    arrays: list[np.ndarray] = []
    if not _anchors_of_family(self, arrays, set()):
        return VMobject.get_points_defining_boundary(self)
    return np.concatenate(arrays) if arrays else np.array(())


#: Subclass with `_fast_points_defining_boundary` of each glyph class (and the set of them).
_FAST_BOUNDARY_CLASSES: dict[type, type] = {}
_FAST_BOUNDARY_SUBCLASSES: set[type] = set()


def _with_fast_boundary(mob: Mobject) -> None:
    """Give `mob` (a glyph copy) a subclass of its class with the fast bounding points."""
    cls = type(mob)
    if cls in _FAST_BOUNDARY_SUBCLASSES or not isinstance(mob, VMobject):
        return
    if cls.get_points_defining_boundary is not VMobject.get_points_defining_boundary:
        return  # a class with its own boundary keeps it
    sub = _FAST_BOUNDARY_CLASSES.get(cls)
    if sub is None:
        sub = type(cls.__name__, (cls,), {
            "get_points_defining_boundary": _fast_points_defining_boundary,
            "__module__": cls.__module__, "__doc__": cls.__doc__})
        _FAST_BOUNDARY_CLASSES[cls] = sub
        _FAST_BOUNDARY_SUBCLASSES.add(sub)
    mob.__class__ = sub


def light_copy(mob: Mobject) -> Mobject:
    """A copy of `mob`'s tree with its own arrays and lists; other attributes are shared.

    Arrays (points, colours) and lists (submobjects, updaters) are what manim changes in place
    on a mobject, so they are copied; parsed SVG paths, TeX templates, colours and the like are
    only read after creation, so the copy shares them with `mob`.
    """
    new = copy.copy(mob)
    for key, value in mob.__dict__.items():
        if isinstance(value, np.ndarray):
            new.__dict__[key] = value.copy()
        elif isinstance(value, list):
            new.__dict__[key] = list(value)
        elif isinstance(value, dict):
            new.__dict__[key] = dict(value)
    new.submobjects = [light_copy(sub) for sub in mob.submobjects]
    new.original_id = str(id(mob))
    _with_fast_boundary(new)
    return new


def _deepcopy_sharing_path(self: VMobjectFromSVGPath, memo: dict[int, Any]) -> Mobject:
    """`Mobject.__deepcopy__`, with the glyph's parsed SVG path shared instead of copied."""
    path = self.__dict__.get("path_obj")
    if path is not None:
        memo[id(path)] = path
    return Mobject.__deepcopy__(self, memo)


def share_parsed_svg_paths() -> None:
    """Let copies of SVG, Text and TeX glyphs share their parsed path (`path_obj`).

    Every animation that begins copies its mobject (``Transform``, ``FadeIn``, a caption's
    cross-fade), and copying a glyph deep-copied its ``svgelements`` path: about 1 ms a glyph,
    30 ms for a caption, seconds over a video. The path is read once, when the glyph's points
    are made, and never written, so copies may share it; the points, colours and everything
    else are still copied.
    """
    VMobjectFromSVGPath.__deepcopy__ = _deepcopy_sharing_path


#: Glyphs already scaled to a font size and styled as a number's ``init_colors`` would style
#: them, by (text, font size, style). Cleared when it grows past `_STYLED_GLYPHS_MAX` (an
#: animated style makes a new key every frame).
_STYLED_GLYPHS: dict[tuple[Any, ...], Mobject] = {}
_STYLED_GLYPHS_MAX = 2000


def _color_key(color: Any) -> Any:
    return None if color is None else tuple(np.asarray(color.to_rgba(), dtype=float).tolist())


class FastDecimalNumber(DecimalNumber):
    """`DecimalNumber` with cheap glyph copies and no rebuild when the text is unchanged.

    Parameters and behaviour are those of `DecimalNumber`. Each glyph is a light copy of a
    template that is already scaled to the font size and styled as ``init_colors`` would style
    it, so a new value costs a copy and a layout.
    """

    _style: tuple[Any, ...] | None = None

    get_points_defining_boundary = _fast_points_defining_boundary

    def _string_to_mob(self, string: str, mob_class: type | None = None, **kwargs: Any):
        if mob_class is None:
            mob_class = self.mob_class
        if string not in string_to_mob_map:
            string_to_mob_map[string] = mob_class(string, **kwargs)
        style = self._style
        if style is None or kwargs:
            mob = light_copy(string_to_mob_map[string])
            mob.font_size = self._font_size
            return mob
        key = (string, mob_class, self._font_size, style[0])
        template = _STYLED_GLYPHS.get(key)
        if template is None:
            if len(_STYLED_GLYPHS) >= _STYLED_GLYPHS_MAX:
                _STYLED_GLYPHS.clear()
            template = light_copy(string_to_mob_map[string])
            template.font_size = self._font_size
            _apply_style(template, style[1], family=True)
            _STYLED_GLYPHS[key] = template
        return light_copy(template)

    def _init_colors_args(self) -> tuple[Any, ...] | None:
        """The values `init_colors` would apply now, or None when it does more (a sheen)."""
        if self.sheen_factor != 0:
            return None
        return (self.fill_color, self.fill_opacity, self.stroke_color, self.stroke_width,
                self.stroke_opacity, self.background_stroke_color, self.background_stroke_width,
                self.background_stroke_opacity, self.sheen_factor, self.sheen_direction)

    def _shown_text(self, number: float) -> tuple[object, ...]:
        """Everything the glyphs depend on, to tell whether a rebuild would change them."""
        return (self._get_num_string(number), self.num_decimal_places, self.include_sign,
                self.group_with_commas, self.show_ellipsis, self.unit, self.color)

    def set_value(self, number: float) -> Self:
        """Show `number`; nothing is rebuilt if it shows the same text as now.

        Otherwise as `DecimalNumber.set_value`, without its per-glyph ``match_style`` (the
        ``init_colors`` that follows sets the same fill, stroke, background stroke and sheen on
        every glyph anyway) and with glyphs styled in advance, so ``init_colors`` only has the
        number itself left to style. A number with a background image or a sheen takes
        manim's path.
        """
        shown = self._shown_text(number)
        if getattr(self, "_shown", None) == shown and self.submobjects:
            self.number = number
            return self
        old_family = self.get_family()
        args = self._init_colors_args()
        if (config.renderer != RendererType.CAIRO or args is None or any(
                member.get_background_image() for member in old_family
                if isinstance(member, VMobject))):
            super().set_value(number)
        else:
            key = tuple(_color_key(arg) if isinstance(arg, ManimColor) else
                        (tuple(np.asarray(arg, dtype=float).ravel().tolist())
                         if isinstance(arg, np.ndarray) else arg) for arg in args)
            old_font_size = self.font_size
            move_to_point = self.get_edge_center(self.edge_to_fix)
            self._style = (key, args)
            try:
                self._set_submobjects_from_number(number)
            finally:
                self._style = None
            self.font_size = old_font_size
            self.move_to(move_to_point, self.edge_to_fix)
            for mob in old_family:
                # As manim: the old glyphs may still be drawn this frame (Cairo renderer).
                mob.points[:] = 0
            # init_colors for the number itself (its glyphs are styled already).
            _apply_style(self, args, family=False)
        self._shown = shown
        return self


def _apply_style(mob: VMobject, args: tuple[Any, ...], family: bool) -> None:
    """The calls of `VMobject.init_colors` with the values it would read from the number."""
    fill, fill_opacity, stroke, stroke_width, stroke_opacity, \
        background, background_width, background_opacity, sheen, sheen_direction = args
    mob.set_fill(color=fill, opacity=fill_opacity, family=family)
    mob.set_stroke(color=stroke, width=stroke_width, opacity=stroke_opacity, family=family)
    mob.set_background_stroke(color=background, width=background_width,
                              opacity=background_opacity, family=family)
    mob.set_sheen(factor=sheen, direction=sheen_direction, family=family)
