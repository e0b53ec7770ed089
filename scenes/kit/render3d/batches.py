"""Batched drawing of faces and plain VMobjects with manim's own Cairo calls."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import cairo
import numpy as np
import numpy.typing as npt
from manim import (
    Mobject,
    VMobject,
)
from manim.camera.camera import CAP_STYLE_MAP, LINE_JOIN_MAP

from scenes.kit.render3d.ball import ShadedBall
from scenes.kit.render3d.shading import (
    SORT_DEPTH_OFFSET_ATTR,
    FloatArray,
    face_light,
    project_points_fast,
    unit_normals,
)
from scenes.kit.render3d.surface import FastSurface

if TYPE_CHECKING:
    from scenes.kit.render3d.camera import FastThreeDCamera


def grow_quads(quads: FloatArray, amount: float) -> None:
    """Move each quad's corners ``amount`` away from the quad's centre, in place."""
    centers = quads.mean(axis=1, keepdims=True)
    offsets = quads - centers
    lengths = np.linalg.norm(offsets, axis=2, keepdims=True)
    quads += np.divide(offsets, lengths, out=np.zeros_like(offsets), where=lengths > 0) * amount


class FaceBatch:
    """Depth-sorted faces ready to fill (all arrays in drawing order)."""

    def __init__(
        self, keys: FloatArray, quads: FloatArray, fills: FloatArray, strokes: FloatArray
    ) -> None:
        self.keys = keys
        self.count = len(keys)
        # Python lists make the per-face loop cheaper than indexing numpy arrays.
        self.quads: list[list[float]] = quads.tolist()
        # BGRA order for manim's Cairo surface.
        self.fills: list[list[float]] = fills[:, [2, 1, 0, 3]].tolist()
        self.has_strokes = bool(np.any(strokes[:, 4] > 0))
        self.strokes: list[list[float]] = (
            np.clip(strokes[:, [2, 1, 0, 3, 4]], 0.0, None).tolist() if self.has_strokes else []
        )

    @classmethod
    def empty(cls) -> FaceBatch:
        """A batch with no faces."""
        return cls(np.zeros(0), np.zeros((0, 8)), np.zeros((0, 4)), np.zeros((0, 5)))

    def draw(self, ctx: cairo.Context, start: int, stop: int) -> None:
        """Fill faces ``start:stop`` (and stroke them where a stroke is set)."""
        if stop <= start:
            return
        ctx.new_path()  # stock display leaves its last path in the context
        move_to, line_to, close_path = ctx.move_to, ctx.line_to, ctx.close_path
        set_source, fill = ctx.set_source_rgba, ctx.fill
        if not self.has_strokes:
            for (
                (first_x, first_y, second_x, second_y, third_x, third_y, fourth_x, fourth_y),
                (blue, green, red, alpha),
            ) in zip(self.quads[start:stop], self.fills[start:stop], strict=True):
                move_to(first_x, first_y)
                line_to(second_x, second_y)
                line_to(third_x, third_y)
                line_to(fourth_x, fourth_y)
                close_path()
                set_source(blue, green, red, alpha)
                fill()
            return
        stroke, fill_preserve, set_width = ctx.stroke, ctx.fill_preserve, ctx.set_line_width
        for (
            (first_x, first_y, second_x, second_y, third_x, third_y, fourth_x, fourth_y),
            (blue, green, red, alpha),
            (stroke_blue, stroke_green, stroke_red, stroke_alpha, width),
        ) in zip(
            self.quads[start:stop], self.fills[start:stop], self.strokes[start:stop], strict=True
        ):
            move_to(first_x, first_y)
            line_to(second_x, second_y)
            line_to(third_x, third_y)
            line_to(fourth_x, fourth_y)
            close_path()
            set_source(blue, green, red, alpha)
            if width > 0 and stroke_alpha > 0:
                fill_preserve()
                set_source(stroke_blue, stroke_green, stroke_red, min(stroke_alpha, 1.0))
                set_width(width)
                stroke()
            else:
                fill()


#: ``__qualname__`` of the gradient function ``ThreeDAxes`` gives each axis piece: it measures
#: the whole axis (its bounding box) on every call, so a frame caches it per axis.
_AXIS_SHADING_QUALNAME = "ThreeDAxes._set_axis_shading.<locals>.make_func.<locals>.<lambda>"
_UP_DIRECTION = np.array([0.0, 1.0, 0.0])
#: ``np.isclose``'s relative tolerance, used by manim to join consecutive curves.
_RTOL = 1.0e-5


def is_plain_vmobject(mob: Mobject) -> bool:
    """Whether :class:`VMobjectBatch` draws ``mob`` (exactly like ``Camera.display_vectorized``).

    Plain means: a cubic-Bézier :class:`~manim.VMobject` (not a mesh or a ball) without a
    background image whose background stroke, fill and stroke each have one colour, or are
    invisible, or are 3D-shaded (shading always uses the two shaded corner colours). Anything
    else is drawn by manim's own code. (A plain mobject with non-finite points is handed back to
    manim by the batch.)
    """
    if not isinstance(mob, VMobject) or isinstance(mob, (FastSurface, ShadedBall)):
        return False
    n = len(mob.points)
    if n < 4 or n % 4 or mob.n_points_per_cubic_curve != 4 or mob.background_image:
        return False
    if mob.shade_in_3d:
        return True
    for rgbas, width in (
        (mob.get_stroke_rgbas(True), mob.get_stroke_width(True)),
        (mob.get_stroke_rgbas(), mob.get_stroke_width()),
        (mob.get_fill_rgbas(), 1.0),
    ):
        if width > 0 and len(rgbas) > 1 and np.any(rgbas[:, 3] > 0):
            return False
    return True


def walk_family(mob: Mobject, out: list[Mobject], active: set[int]) -> None:
    """Append ``mob`` and its submobjects depth-first, as ``Mobject._iter_family`` yields them."""
    key = id(mob)
    if key in active:
        return
    active.add(key)
    out.append(mob)
    for sub in mob.submobjects:
        walk_family(sub, out, active)
    active.discard(key)


def family_members_last(mobjects: Sequence[Mobject]) -> list[Mobject]:
    """The families of ``mobjects`` chained, each member kept at its last occurrence.

    This is ``remove_list_redundancies(chain(*(m.get_family() for m in mobjects)))``, the list
    ``Camera.get_mobjects_to_display`` starts from. Manim hands the camera a list that is
    already flattened (every member of a moving family, then its submobjects again), so walking
    each entry's family costs the family's size times its depth. Here the list is walked from
    its end: a member whose subtree was already expanded by a later entry is skipped, because
    that later entry holds the last occurrence of every member below it. Each member is expanded
    once per call.
    """
    kept: set[int] = set()
    expanded: set[int] = set()
    active: set[int] = set()
    reversed_out: list[Mobject] = []
    for root in reversed(mobjects):
        if id(root) in expanded:
            continue
        # (mobject, done): done entries are emitted after their subtrees, which are pushed in
        # order so that the last submobject is expanded first (reversed pre-order).
        stack: list[tuple[Mobject, bool]] = [(root, False)]
        while stack:
            mob, done = stack.pop()
            key = id(mob)
            if done:
                active.discard(key)
                expanded.add(key)
                if key not in kept:
                    kept.add(key)
                    reversed_out.append(mob)
                continue
            if key in expanded or key in active:  # (active: a cycle back to an ancestor)
                continue
            active.add(key)
            stack.append((mob, True))
            stack.extend([(sub, False) for sub in mob.submobjects])
    reversed_out.reverse()
    return reversed_out


def needs_own_center(mob: Mobject) -> bool:
    """Whether ``mob``'s sort point is not the centre of its own anchors."""
    # (``hasattr`` would go through Mobject.__getattr__, slow for a missing name.)
    return bool(mob.submobjects) or "z_index_group" in mob.__dict__ or hasattr(
        type(mob), "z_index_group")


def _first_two_colors(
    rgbas_list: Sequence[FloatArray],
) -> tuple[FloatArray, FloatArray, npt.NDArray[np.bool_]]:
    """First and second (or again first) RGBA of each array, and whether any is visible."""
    fixed = [rgbas if len(rgbas) else np.zeros((1, 4)) for rgbas in rgbas_list]
    counts = np.fromiter(map(len, fixed), dtype=np.intp, count=len(fixed))
    offsets = np.zeros(len(fixed), dtype=np.intp)
    np.cumsum(counts[:-1], out=offsets[1:])
    flat = np.concatenate(fixed)
    visible = np.logical_or.reduceat(flat[:, 3] > 0, offsets)
    return flat[offsets], flat[offsets + (counts > 1)], visible


class VMobjectBatch:
    """Plain VMobjects (see :func:`is_plain_vmobject`) prepared for drawing in one pass.

    Projection, sort keys, subpath splitting, 3D shading (manim's ``get_shaded_rgb`` at the two
    corners ``ThreeDCamera.modified_rgbas`` uses) and colours are computed with numpy for all
    mobjects at once; :meth:`draw` then issues the Cairo calls ``Camera.display_vectorized``
    would (path, background stroke, fill, stroke) for one mobject. Invisible parts (zero width
    or zero opacity) are skipped, which leaves the pixels as drawing them would.
    """

    def __init__(self, camera: FastThreeDCamera, mobs: Sequence[VMobject]) -> None:
        self.mobs = list(mobs)
        n = len(self.mobs)
        self.count = n
        self._camera = camera
        if n == 0:
            self.keys = np.zeros(0)
            return
        pts = [mob.points for mob in self.mobs]
        lens = np.fromiter(map(len, pts), dtype=np.intp, count=n)
        starts = np.zeros(n, dtype=np.intp)
        np.cumsum(lens[:-1], out=starts[1:])
        ends = starts + lens
        allp = np.concatenate(pts)
        # Manim does not draw a mobject with a non-finite point: let it decide.
        self.stock = (~np.logical_and.reduceat(np.isfinite(allp).all(axis=1), starts)).tolist()
        fixed_set = camera.fixed_in_frame_mobjects
        fixed = np.fromiter((mob in fixed_set for mob in self.mobs), dtype=bool, count=n)
        with np.errstate(invalid="ignore", over="ignore"):
            screen_xy, _, _ = project_points_fast(camera, allp)
        if fixed.any():
            rows = np.repeat(fixed, lens)
            screen_xy[rows] = allp[rows, :2]
        self._fixed = fixed
        self.flat_xy = screen_xy.ravel().tolist()

        # Sort keys: camera depth of the centre of the anchors' bounding box (manim's
        # get_center of a mobject without submobjects) plus the sort offset.
        curves = allp.reshape(-1, 4, 3)
        lo = np.minimum(curves[:, 0], curves[:, 3])
        hi = np.maximum(curves[:, 0], curves[:, 3])
        first_curve = starts // 4
        center = 0.5 * (np.minimum.reduceat(lo, first_curve) + np.maximum.reduceat(hi, first_curve))
        with np.errstate(invalid="ignore", over="ignore"):
            _, depth, _ = project_points_fast(camera, center)
        offsets = np.fromiter((getattr(mob, SORT_DEPTH_OFFSET_ATTR, 0.0) for mob in self.mobs),
                              dtype=float, count=n)
        self.keys = depth + offsets

        self._subpaths(screen_xy, starts, ends, lens)
        light = self._shading(camera, allp, starts, lens)
        self._styles(camera, screen_xy, starts, lens, light)

    def _subpaths(self, screen_xy: FloatArray, starts: npt.NDArray[np.intp],
                  ends: npt.NDArray[np.intp], lens: npt.NDArray[np.intp]) -> None:
        """Split each path where manim would, and note which subpaths are closed.

        A new subpath starts wherever a curve does not start where the previous one ended (on
        screen), as ``VMobject.get_subpath_split_indices_from_points(n_dims=2)``; each is
        closed when it ends where it starts.
        """
        n = len(starts)
        atol = np.fromiter((mob.tolerance_for_point_equality for mob in self.mobs), dtype=float,
                           count=n)
        bound = np.arange(4, int(ends[-1]), 4)
        owner = np.repeat(np.arange(n), lens // 4)[1:]  # mobject of each curve after the first
        inner = bound != starts[owner]
        bound, owner = bound[inner], owner[inner]
        ends_xy, starts_xy = screen_xy[bound - 1], screen_xy[bound]
        with np.errstate(invalid="ignore"):
            close = np.abs(ends_xy - starts_xy) <= atol[owner, None] + _RTOL * np.abs(starts_xy)
            split = ~close.all(axis=1)
            last = screen_xy[ends - 1]
            closed = (np.abs(screen_xy[starts] - last)
                      <= atol[:, None] + _RTOL * np.abs(last)).all(1)
        self.subpaths: list[list[tuple[int, int, bool]]] = [
            [(start, end, closes)]
            for start, end, closes in zip(starts.tolist(), ends.tolist(), closed.tolist(),
                                          strict=True)
        ]
        cuts: dict[int, list[int]] = {}
        for i, cut in zip(owner[split].tolist(), bound[split].tolist(), strict=True):
            cuts.setdefault(i, []).append(cut)
        for i, inner_cuts in cuts.items():
            paths = []
            for start, end in itertools.pairwise([int(starts[i]), *inner_cuts, int(ends[i])]):
                if end - start < 4:
                    continue
                first_xy, last_xy = screen_xy[start], screen_xy[end - 1]
                is_closed = bool(np.all(
                    np.abs(first_xy - last_xy) <= atol[i] + _RTOL * np.abs(last_xy)))
                paths.append((start, end, is_closed))
            self.subpaths[i] = paths

    def _shading(self, camera: FastThreeDCamera, allp: FloatArray, starts: npt.NDArray[np.intp],
                 lens: npt.NDArray[np.intp]) -> FloatArray:
        """Manim's light terms of each shaded mobject (zeros for the others).

        As ``ThreeDCamera.modified_rgbas``: at the start corner (point 0) and the "end corner"
        (point ``((n - 1) // 6) * 3``), with normals from the points three before and after.
        """
        n = len(starts)
        shaded = np.fromiter((bool(mob.shade_in_3d) for mob in self.mobs), dtype=bool, count=n)
        shaded &= bool(camera.should_apply_shading)
        self._shaded = shaded.tolist()
        self._corners = np.zeros((n, 2), dtype=np.intp)
        light = np.zeros((n, 2))
        idx = np.flatnonzero(shaded & ~np.array(self.stock))
        if idx.size:
            first_point, point_count = starts[idx], lens[idx]
            end_offset = ((point_count - 1) // 6) * 3
            ip3 = np.where(end_offset < point_count - 3, end_offset + 3, 3)
            im3 = np.where(end_offset > 2, end_offset - 3, point_count - 4)
            p_start, p_end = allp[first_point], allp[first_point + end_offset]
            n_start = unit_normals(allp[first_point + 3] - p_start,
                                   allp[first_point + point_count - 4] - p_start)
            n_end = unit_normals(allp[first_point + ip3] - p_end, allp[first_point + im3] - p_end)
            single = (point_count // 2) <= 2  # two anchors: manim uses UP
            n_start[single] = _UP_DIRECTION
            n_end[single] = _UP_DIRECTION
            light_source = camera.light_source.points[0]
            light[idx, 0] = face_light(p_start, n_start, light_source)
            light[idx, 1] = face_light(p_end, n_end, light_source)
            self._corners[idx, 0] = first_point
            self._corners[idx, 1] = first_point + end_offset
        return light

    def _styles(self, camera: FastThreeDCamera, screen_xy: FloatArray, starts: npt.NDArray[np.intp],
                lens: npt.NDArray[np.intp], light: FloatArray) -> None:
        """Colours, widths and visibility of each mobject's background stroke, fill, stroke."""
        mobs = self.mobs
        scale = camera.cairo_line_width_multiple
        # Attributes rather than getters (a thousand path pieces per frame): the getters only
        # add a default for a missing array and clamp the widths at 0, as done here.
        no_color = np.zeros((1, 4))
        self.parts: list[tuple[bool, list[bool], list[float], list[list[float]],
                               list[list[float]]]] = []
        for name, width_name, is_fill in (
            ("background_stroke_rgbas", "background_stroke_width", False),
            ("fill_rgbas", None, True),
            ("stroke_rgbas", "stroke_width", False),
        ):
            first, second, visible = _first_two_colors(
                [mob.__dict__.get(name, no_color) for mob in mobs])
            if width_name is None:
                widths = np.ones(len(mobs))
            else:
                widths = np.maximum(0.0, np.array(
                    [float(getattr(mob, width_name)) for mob in mobs], dtype=float))
            # BGRA stops; shaded ones with manim's light added (Cairo clamps them, as for
            # manim's own gradients).
            stop0 = first[:, [2, 1, 0, 3]]
            stop1 = second[:, [2, 1, 0, 3]]
            stop0[:, :3] += light[:, :1]
            stop1[:, :3] += light[:, 1:]
            shown = visible & (widths > 0)
            self.parts.append((is_fill, shown.tolist(), (widths * scale).tolist(),
                               stop0.tolist(), stop1.tolist()))
        # (Enum hashing is slow: map each distinct joint and cap once.)
        joins, caps = [mob.joint_type for mob in mobs], [mob.cap_style for mob in mobs]
        join_of: dict[int, Any] = {}
        for join in joins:
            if id(join) not in join_of:
                join_of[id(join)] = LINE_JOIN_MAP[join]
        cap_of: dict[int, Any] = {}
        for cap in caps:
            if id(cap) not in cap_of:
                cap_of[id(cap)] = CAP_STYLE_MAP[cap]
        self.joins = [join_of[id(join)] for join in joins]
        self.caps = [cap_of[id(cap)] for cap in caps]
        self.gradients = screen_xy[self._corners.ravel()].reshape(-1, 4).tolist()
        self._axis_memo: dict[tuple[Any, ...], list[float]] = {}
        for i, mob in enumerate(mobs):
            override = mob.__dict__.get("get_gradient_start_and_end_points")
            if override is not None and self._shaded[i]:
                self.gradients[i] = self._override_gradient(i, override)

    def _override_gradient(self, i: int, override: Callable[[], Any]) -> list[float]:
        """Screen ends of a gradient the mobject computes itself (``ThreeDAxes`` pieces)."""
        key = None
        if getattr(override, "__qualname__", "") == _AXIS_SHADING_QUALNAME:
            # Every piece of one axis gets the same answer within a frame.
            key = (bool(self._fixed[i]),
                   *(id(cell.cell_contents) for cell in override.__closure__ or ()))
            done = self._axis_memo.get(key)
            if done is not None:
                return done
        pts = np.array(override(), dtype=float)
        if not np.isfinite(pts).all():
            pts = np.zeros((1, 3))
        if self._fixed[i]:
            screen_xy = pts[:, :2]
        else:
            screen_xy, _, _ = project_points_fast(self._camera, pts)
        ends = [*screen_xy[0].tolist(), *screen_xy[-1].tolist()]
        if key is not None:
            self._axis_memo[key] = ends
        return ends

    def draw(self, ctx: cairo.Context, i: int) -> None:
        """Draw mobject ``i`` as ``Camera.display_vectorized`` does."""
        if self.stock[i]:
            self._camera._display_items([self.mobs[i]])
            return
        coords = self.flat_xy
        ctx.new_path()
        move_to, curve_to = ctx.move_to, ctx.curve_to
        for start, end, closed in self.subpaths[i]:
            ctx.new_sub_path()
            move_to(coords[2 * start], coords[2 * start + 1])
            for k in range(2 * start + 2, 2 * end - 5, 8):
                curve_to(*coords[k:k + 6])
            if closed:
                ctx.close_path()
        shaded = self._shaded[i]
        for is_fill, shown, widths, stops0, stops1 in self.parts:
            if not shown[i]:
                continue
            if shaded:
                pattern = cairo.LinearGradient(*self.gradients[i])
                pattern.add_color_stop_rgba(0.0, *stops0[i])
                pattern.add_color_stop_rgba(1.0, *stops1[i])
                ctx.set_source(pattern)
            else:
                ctx.set_source_rgba(*stops0[i])
            if is_fill:
                ctx.fill_preserve()
            else:
                ctx.set_line_width(widths[i])
                ctx.set_line_join(self.joins[i])
                ctx.set_line_cap(self.caps[i])
                ctx.stroke_preserve()
