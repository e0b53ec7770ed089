"""FastThreeDCamera and FastThreeDScene: one vectorized, depth-sorted pass per frame."""

from __future__ import annotations

import gc
import itertools
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import cairo
import numpy as np
from manim import (
    Mobject,
    ThreeDCamera,
    ThreeDScene,
    VMobject,
)
from manim.camera.camera import Camera

from scenes.kit.render3d.ball import ShadedBall
from scenes.kit.render3d.batches import (
    FaceBatch,
    VMobjectBatch,
    family_members_last,
    grow_quads,
    is_plain_vmobject,
    needs_own_center,
    walk_family,
)
from scenes.kit.render3d.overlay import OverlayLayers
from scenes.kit.render3d.shading import (
    BALL_HIGHLIGHT_MIX,
    BALL_HIGHLIGHT_OFFSET,
    BALL_MIDTONE_STOP,
    BALL_RIM_DARKEN,
    SORT_DEPTH_OFFSET_ATTR,
    FloatArray,
    project_points_fast,
    quad_corner_indices,
)
from scenes.kit.render3d.surface import FastSurface


class FastThreeDCamera(ThreeDCamera):
    """A :class:`ThreeDCamera` that draws :class:`FastSurface` meshes in one pass.

    Faces of all meshes are sorted by their centre's camera depth; other 3D
    mobjects (``shade_in_3d``, e.g. the ball, path segments, dots, arrows) are
    sorted by the depth of their z-index reference point plus their
    ``sort_depth_offset`` attribute (0 if absent, see
    :func:`set_sort_depth_offset`; :class:`ShadedBall` has its own). The two
    orders are merged: runs of faces are drawn between the other objects, so a
    hill in front hides the ball and the ball in front of a hill shows.
    Non-3D and fixed-in-frame mobjects are drawn on top afterwards, in their
    usual order, as in :class:`ThreeDCamera`.

    Parameters
    ----------
    **kwargs
        Passed to :class:`~manim.ThreeDCamera`.
    """

    #: Shift (x, y) in frame units of everything projected from 3D, after the zoom: where the
    #: view sits on screen when the frame's bands are not the same height above and below it.
    #: Fixed-in-frame mobjects do not move. Assign a new array; never change it in place.
    screen_offset: FloatArray = np.zeros(2)
    #: Composite runs of the overlay that have not changed since the last frame as kept layers
    #: (`scenes.kit.render3d.overlay`); False draws every overlay item every frame.
    keep_overlay_layers: bool = True

    def project_points(self, points: FloatArray) -> FloatArray:
        """:meth:`ThreeDCamera.project_points`, shifted by `screen_offset`."""
        projected = super().project_points(points)
        projected[:, :2] += self.screen_offset
        return projected

    def capture_mobjects(self, mobjects: Iterable[Mobject], **kwargs: Any) -> None:
        """Draw ``mobjects`` (and their families) into :attr:`pixel_array`.

        Parameters
        ----------
        mobjects
            Mobjects to draw.
        **kwargs
            Passed to :meth:`Camera.get_mobjects_to_display`.
        """
        self.reset_rotation_matrix()
        family = self._mobjects_to_display(mobjects, **kwargs)
        meshes: list[FastSurface] = []
        sorted_items: list[Mobject] = []
        overlay: list[Mobject] = []
        for mob in family:
            fixed = mob in self.fixed_in_frame_mobjects
            if isinstance(mob, FastSurface) and not fixed:
                meshes.append(mob)
            elif getattr(mob, "shade_in_3d", False) and not fixed:
                sorted_items.append(mob)
            else:
                overlay.append(mob)

        ctx = self.get_cairo_context(self.pixel_array)
        faces = self._prepare_faces(meshes)
        # Plain VMobjects (path pieces, axis pieces, text, level lines...) are prepared in one
        # vectorized batch per layer; the rest goes through manim's own display functions.
        entries, batch = self._batch_entries(sorted_items)
        keys = [
            self._sort_key(item)
            if not isinstance(item, int)
            else (self._sort_key(batch.mobs[item]) if needs_own_center(batch.mobs[item])
                  else float(batch.keys[item]))
            for item in entries
        ]
        # sorted() is stable, like ThreeDCamera's sort, so ties keep scene order.
        order = sorted(range(len(entries)), key=keys.__getitem__)
        # Faces whose centre is strictly farther than an item go before it.
        stops = np.searchsorted(faces.keys, [keys[k] for k in order], side="left").tolist()
        drawn = 0
        for k, stop in zip(order, stops, strict=True):
            faces.draw(ctx, drawn, stop)
            drawn = max(drawn, stop)
            self._draw_entry(ctx, entries[k], batch)
        faces.draw(ctx, drawn, faces.count)
        if self.keep_overlay_layers:
            self._overlay_layers.draw(self, ctx, overlay)
            return
        entries, batch = self._batch_entries(overlay)
        run: list[Mobject] = []
        for item in entries:
            if isinstance(item, int):
                self._display_items(run)
                run = []
                batch.draw(ctx, item)
            else:
                run.append(item)
        self._display_items(run)

    @property
    def _overlay_layers(self) -> OverlayLayers:
        """The kept overlay layers of this camera (made on first use)."""
        layers = self.__dict__.get("_kept_overlay")
        if layers is None:
            layers = self.__dict__["_kept_overlay"] = OverlayLayers()
        return layers

    def drop_overlay_layers(self) -> None:
        """Forget the kept overlay layers: the next frames draw the overlay in place first."""
        self.__dict__.pop("_kept_overlay", None)

    def add_fixed_in_frame_mobjects(self, *mobjects: Mobject) -> None:
        """Pin ``mobjects`` and their families to the frame (as ``ThreeDCamera``, faster).

        Scenes re-pin their HUD every frame (its numbers make new glyphs), so the family walk
        matters.
        """
        family: list[Mobject] = []
        for mob in mobjects:
            walk_family(mob, family, set())
        self.fixed_in_frame_mobjects.update(family)

    # -- helpers -------------------------------------------------------------------

    def _mobjects_to_display(self, mobjects: Iterable[Mobject], **kwargs: Any) -> list[Mobject]:
        """``Camera.get_mobjects_to_display``: the family members with points, same order.

        Manim walks each family with nested generators, and the list it is handed is already
        flattened, so every member's family is walked again: as much as a tenth of a 3D frame.
        :func:`family_members_last` gives the same list, expanding each member once.
        """
        if kwargs.get("excluded_mobjects") or not kwargs.get("include_submobjects", True):
            return Camera.get_mobjects_to_display(self, mobjects, **kwargs)
        out = [member for member in family_members_last(list(mobjects)) if len(member.points) > 0]
        if self.use_z_index:
            out.sort(key=lambda member: member.z_index)
        return out

    def _batch_entries(
        self, mobjects: Sequence[Mobject]
    ) -> tuple[list[Mobject | int], VMobjectBatch]:
        """Split ``mobjects`` into one batch of plain VMobjects and the others.

        Returns the entries in the given order (a batch index for a plain VMobject, else the
        mobject itself) and the batch.
        """
        fixed_orientation = self.fixed_orientation_mobjects
        plain: list[VMobject] = []
        entries: list[Mobject | int] = []
        for mob in mobjects:
            if is_plain_vmobject(mob) and mob not in fixed_orientation:
                entries.append(len(plain))
                plain.append(mob)
            else:
                entries.append(mob)
        return entries, VMobjectBatch(self, plain)

    def _draw_entry(self, ctx: cairo.Context, item: Mobject | int, batch: VMobjectBatch) -> None:
        if isinstance(item, int):
            batch.draw(ctx, item)
        else:
            self._display_items([item])

    def _sort_key(self, mob: Mobject) -> float:
        """Camera depth of ``mob``'s reference point plus its sort offset."""
        _, depth, _ = project_points_fast(self, mob.get_z_index_reference_point()[None, :])
        if isinstance(mob, ShadedBall):
            offset = mob.get_sort_depth_offset()
        else:
            offset = getattr(mob, SORT_DEPTH_OFFSET_ATTR, 0.0)
        return float(depth[0]) + offset

    def _display_items(self, items: Sequence[Mobject]) -> None:
        """Draw non-mesh mobjects, batching runs of one kind as ``Camera`` does."""
        for kind, group in itertools.groupby(items, self._display_kind):
            batch = list(group)
            if kind is ShadedBall:
                ctx = self.get_cairo_context(self.pixel_array)
                for ball in batch:
                    self._display_ball(ball, ctx)
            elif kind is FastSurface:
                for mesh in batch:  # fixed in frame: drawn flat, back to front
                    faces = self._prepare_faces([mesh])
                    faces.draw(self.get_cairo_context(self.pixel_array), 0, faces.count)
            else:
                self.display_funcs[kind](batch, self.pixel_array)

    def _display_kind(self, mob: Mobject) -> type:
        if isinstance(mob, ShadedBall):
            return ShadedBall
        if isinstance(mob, FastSurface):
            return FastSurface
        return self.type_or_raise(mob)

    def _project(
        self, mob: Mobject, points: FloatArray
    ) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Project like ``transform_points_pre_display`` (fixed-in-frame stays flat)."""
        if mob in self.fixed_in_frame_mobjects:
            return points[:, :2].copy(), points[:, 2].copy(), np.ones(len(points))
        return project_points_fast(self, points)

    def _prepare_faces(self, meshes: Sequence[FastSurface]) -> FaceBatch:
        """Project, shade and depth-sort the faces of ``meshes`` for drawing."""
        quads, keys, fills, strokes = [], [], [], []
        light_source = self.light_source.points[0]
        px_per_unit = self.pixel_width / self.frame_width
        for mesh in meshes:
            opacity = mesh.get_fill_opacity()
            stroke_rgba = mesh.get_stroke_rgbas()[0]
            stroke_on = mesh.get_stroke_width() > 0 and stroke_rgba[3] > 0
            if opacity <= 0 and not stroke_on:
                continue
            screen_xy, depth, _ = self._project(mesh, mesh.points)
            corner_idx = quad_corner_indices(*mesh.grid_shape)
            quad = np.stack([screen_xy[i] for i in corner_idx], axis=1)  # (F, 4, 2)
            if mesh.seam_overlap_px > 0:
                grow_quads(quad, mesh.seam_overlap_px / px_per_unit)
            light = light_source if self.should_apply_shading else None
            fill = mesh.shaded_fill_rgbas(light)
            stroke = np.zeros((mesh.n_faces, 5))
            if stroke_on:
                stroke[:, :4] = mesh.shaded_stroke_rgbas(light)
                stroke[:, 4] = mesh.get_stroke_width() * self.cairo_line_width_multiple
            key = sum(depth[i] for i in corner_idx) / len(corner_idx)
            quad = quad.reshape(-1, 8)
            if mesh.face_mask is not None:
                keep = mesh.face_mask
                quad, key, fill, stroke = quad[keep], key[keep], fill[keep], stroke[keep]
            quads.append(quad)
            keys.append(key)
            fills.append(fill)
            strokes.append(stroke)
        if not quads:
            return FaceBatch.empty()
        key = np.concatenate(keys)
        order = np.argsort(key, kind="stable")
        return FaceBatch(
            keys=key[order],
            quads=np.concatenate(quads)[order],
            fills=np.concatenate(fills)[order],
            strokes=np.concatenate(strokes)[order],
        )

    def _display_ball(self, ball: ShadedBall, ctx: cairo.Context) -> None:
        """Fill one radially shaded disc for ``ball``."""
        rgba = ball.get_fill_rgbas()[0]
        if rgba[3] <= 0:
            return
        center = ball.get_center()
        screen_xy, _, scale = self._project(ball, center[None, :])
        center_x, center_y = screen_xy[0]
        radius = ball.get_radius() * float(scale[0])
        if not np.isfinite(radius) or radius <= 0:
            return
        to_light = self.light_source.points[0] - center
        norm = np.linalg.norm(to_light)
        # Light direction in camera space: its x, y place the spot on the disc.
        light_x, light_y, _ = ((self.get_rotation_matrix() @ to_light) / norm if norm > 0
                               else (0.0, 0.0, 0.0))
        spot_x = center_x + BALL_HIGHLIGHT_OFFSET * radius * light_x
        spot_y = center_y + BALL_HIGHLIGHT_OFFSET * radius * light_y
        base = rgba[:3]
        spot = base + BALL_HIGHLIGHT_MIX * (ball.highlight_rgb - base)
        rim = base * BALL_RIM_DARKEN
        gradient = cairo.RadialGradient(spot_x, spot_y, 0.0, center_x, center_y, radius)
        for offset, rgb in ((0.0, spot), (BALL_MIDTONE_STOP, base), (1.0, rim)):
            red, green, blue = np.clip(rgb, 0.0, 1.0)
            # manim's Cairo surface stores BGRA, hence the reversed channels.
            gradient.add_color_stop_rgba(offset, blue, green, red, rgba[3])
        ctx.new_path()
        ctx.arc(center_x, center_y, radius, 0.0, 2 * np.pi)
        ctx.set_source(gradient)
        ctx.fill()


class FastThreeDScene(ThreeDScene):
    """A :class:`~manim.ThreeDScene` rendered by :class:`FastThreeDCamera`.

    Besides the camera, it redraws every mobject on a frame where any depth-sorted
    (3D) mobject moves: manim otherwise bakes non-moving mobjects into a static
    background and draws the moving ones on top, which would show a ball rolling
    behind a hill when the camera is still.

    Parameters
    ----------
    camera_class
        Camera class, :class:`FastThreeDCamera` or a subclass.
    **kwargs
        Passed to :class:`~manim.ThreeDScene`.
    """

    def __init__(self, camera_class: type[ThreeDCamera] = FastThreeDCamera, **kwargs: Any) -> None:
        super().__init__(camera_class=camera_class, **kwargs)

    def play(self, *args: Any, **kwargs: Any) -> None:
        """Play as :meth:`Scene.play`, first exempting the objects made so far from cyclic GC.

        A 3D scene holds tens of thousands of long-lived Python objects (mobjects, their
        arrays and styles); every frame allocates many short-lived ones, so Python's cyclic
        garbage collector ran every few frames over all of them. ``gc.freeze`` moves what
        exists now out of its sight (it is still freed by reference counting); what is made
        later is collected as usual.

        The kept overlay layers are dropped (see `scenes.kit.render3d.overlay`).

        The camera's rotation matrix is brought up to date with its angles first: manim's
        scene cache hashes the camera, and the matrix is otherwise only refreshed when a frame
        is drawn, so a play after a skipped (cached) one would never match its cache.
        """
        gc.freeze()
        self.renderer.camera.reset_rotation_matrix()
        # Every play starts without kept overlay layers, so a frame's pixels depend only on
        # what happened since its play began: a part of a parallel render, which starts at a
        # play, then draws exactly what the single render draws (a layer composites up to 3
        # levels differently from drawing in place, and which runs are layers depends on how
        # long they have been steady).
        self.renderer.camera.drop_overlay_layers()
        super().play(*args, **kwargs)

    def get_moving_mobjects(self, *animations: Any) -> list[Mobject]:
        """Moving mobjects, or all mobjects when a moving one is depth-sorted.

        Parameters
        ----------
        *animations
            The animations being played.

        Returns
        -------
        list of Mobject
            Mobjects to redraw every frame.
        """
        moving = super().get_moving_mobjects(*animations)
        if moving is self.mobjects:
            return moving
        fixed: Callable[[Mobject], bool] = self.renderer.camera.fixed_in_frame_mobjects.__contains__
        for mob in moving:
            if any(getattr(member, "shade_in_3d", False) and not fixed(member)
                   for member in mob.get_family()):
                return list(self.mobjects)
        return moving
