"""The overlay of a 3D frame (HUD, panels, captions), with its unchanged runs kept as layers.

Everything that is neither a mesh face nor depth-sorted is drawn over the 3D view in scene
order. Most of it does not change from one frame to the next (the update rule, the panels'
axes, the captions), yet preparing and filling its few hundred glyphs was the largest single
cost of a preview frame. :class:`OverlayLayers` fingerprints each item's look; a run of items
that have looked the same for `MIN_STEADY_FRAMES` frames is drawn once into a transparent
layer, cropped to its pixels, and composited in its place in later frames for as long as the
run stays as it is. Items that change (a number, a growing curve, a fade) are drawn as before.

A composited layer equals drawing its items in place up to Cairo's 8-bit rounding of the
premultiplied colours: at most a few levels on anti-aliased edges, nothing elsewhere
(``tests/test_overlay_layers.py`` compares the two, over the whole main video too).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import cairo
import numpy as np
from manim import Mobject, VMobject

from scenes.kit.render3d.batches import VMobjectBatch, is_plain_vmobject

if TYPE_CHECKING:
    from scenes.kit.render3d.camera import FastThreeDCamera

#: Fewest consecutive unchanged items kept as a layer: a shorter run costs less to draw
#: directly than a layer costs to make and composite.
MIN_LAYER_ITEMS = 6
#: Frames an item must have looked the same before it goes into a new layer: a live number's
#: digit that happens to repeat once would otherwise join its neighbours' layer and split it
#: again at the next frame.
MIN_STEADY_FRAMES = 3


@dataclass(frozen=True)
class Layer:
    """A run's pixels, cropped to where it drew, and where they go (pixel offsets)."""

    surface: cairo.ImageSurface | None
    left: int
    top: int


def camera_fingerprint(camera: FastThreeDCamera) -> int:
    """What places a non-pinned point on screen: rotation, centre, focal length, zoom, offset."""
    return hash((camera.get_rotation_matrix().tobytes(), np.asarray(camera.frame_center).tobytes(),
                 float(camera.get_focal_distance()), float(camera.get_zoom()),
                 bool(camera.exponential_projection),
                 np.asarray(getattr(camera, "screen_offset", 0.0)).tobytes()))


class _Placement:
    """The camera's fingerprint for one frame, computed when an unpinned item first needs it."""

    def __init__(self, camera: FastThreeDCamera) -> None:
        self._camera = camera
        self._value: int | None = None

    @property
    def fingerprint(self) -> int:
        if self._value is None:
            self._value = camera_fingerprint(self._camera)
        return self._value


def look_fingerprint(mob: VMobject, placement: int) -> int:
    """Everything :meth:`VMobjectBatch.draw` reads of an unshaded plain VMobject.

    ``placement`` is 0 for a mobject pinned to the frame, else the camera's fingerprint.
    """
    attrs = mob.__dict__
    return hash((
        mob.points.tobytes(),
        *(attrs[name].tobytes() if name in attrs else b""
          for name in ("fill_rgbas", "stroke_rgbas", "background_stroke_rgbas")),
        float(mob.stroke_width), float(mob.background_stroke_width),
        id(mob.joint_type), id(mob.cap_style), float(mob.tolerance_for_point_equality),
        placement,
    ))


class OverlayLayers:
    """Draws a frame's overlay in order, compositing runs that have not changed as layers.

    Keep one per camera; it holds the previous frame's fingerprints and the layers in use.
    """

    def __init__(self) -> None:
        self._previous: dict[int, tuple[int | None, int, bool]] = {}  # id -> its last look
        self._layers: dict[tuple[int, ...], Layer] = {}
        self._matrix: tuple[float, ...] | None = None
        #: Items the last frame took from kept layers (not drawn again), for tests and timing.
        self.reused = 0

    def draw(self, camera: FastThreeDCamera, ctx: cairo.Context,
             overlay: Sequence[Mobject]) -> None:
        """Draw `overlay` into `ctx` (the camera's pixel array) as the camera would, in order."""
        matrix = tuple(ctx.get_matrix())
        if matrix != self._matrix:  # another frame size or centre: no layer fits
            self._layers.clear()
            self._matrix = matrix
        placement = _Placement(camera)
        looks = [self._look(camera, mob, placement) for mob in overlay]
        prints = [look[0] for look in looks]
        segments = self._segments(overlay, looks)
        # One batch for everything drawn with Cairo calls this frame, in drawing order.
        batch = VMobjectBatch(camera, [overlay[k] for kind, start, end in segments
                                       if kind in ("new", "plain") for k in range(start, end)])
        numbers = iter(range(batch.count))
        used: dict[tuple[int | None, ...], Layer] = {}
        self.reused = 0
        for kind, start, end in segments:
            if kind == "stock":
                camera._display_items(overlay[start:end])
            elif kind == "plain":
                batch.draw(ctx, next(numbers))
            else:
                key = tuple(prints[start:end])
                layer = self._layers.get(key) if kind == "kept" else None
                if layer is not None:
                    self.reused += end - start
                else:
                    layer = self._make_layer(camera, ctx, batch,
                                             [next(numbers) for _ in range(start, end)])
                used[key] = layer
                _composite(ctx, layer)
        self._layers = used
        self._previous = {id(mob): look for mob, look in zip(overlay, looks, strict=True)
                          if look[0] is not None}

    def _look(self, camera: FastThreeDCamera, mob: Mobject,
              placement: _Placement) -> tuple[int | None, int, bool]:
        """An item's (fingerprint, frames it has looked so, whether it can go into a layer).

        The fingerprint is None for what is not a VMobject. Whether an item can be kept (a
        plain, finite, unshaded VMobject that does not turn to face the camera) depends only on
        what the fingerprint covers, so it is decided again only when the look changes.
        """
        if not isinstance(mob, VMobject):
            return None, 0, False
        facing = mob in camera.fixed_orientation_mobjects
        look = hash((look_fingerprint(mob, 0 if mob in camera.fixed_in_frame_mobjects
                                      else placement.fingerprint),
                     facing, bool(mob.shade_in_3d), id(mob.background_image)))
        before = self._previous.get(id(mob))
        if before is not None and before[0] == look:
            return look, before[1] + 1, before[2]
        keepable = (not facing and not mob.shade_in_3d and is_plain_vmobject(mob)
                    and bool(np.isfinite(mob.points).all()))
        return look, 0, keepable

    def _segments(self, overlay: Sequence[Mobject],
                  looks: list[tuple[int | None, int, bool]]) -> list[tuple[str, int, int]]:
        """The overlay cut into segments ``(kind, start, end)``.

        Kinds: "kept" (a layer of the last frame), "new" (a run to keep from now on), "plain"
        (one item drawn with Cairo calls), "stock" (a run drawn by manim's own functions).
        """
        steady = [keepable and age >= MIN_STEADY_FRAMES for _, age, keepable in looks]
        prints = [look[0] for look in looks]
        segments: list[tuple[str, int, int]] = []
        k = 0
        while k < len(overlay):
            end = k + 1
            if steady[k]:
                while end < len(overlay) and steady[end]:
                    end += 1
                segments.extend(self._steady_run(prints, k, end))
            elif looks[k][2]:
                segments.append(("plain", k, end))
            elif segments and segments[-1][0] == "stock" and segments[-1][2] == k:
                segments[-1] = ("stock", segments[-1][1], end)
            else:
                segments.append(("stock", k, end))
            k = end
        return segments

    def _steady_run(self, prints: list[int | None], start: int,
                    end: int) -> list[tuple[str, int, int]]:
        """Cover a run of unchanged items with kept layers where they fit, new ones elsewhere.

        Kept layers are matched greedily, longest first, so a run that an item's change split
        in two (or that grew back together) still reuses the layers it had.
        """
        first_of: dict[int | None, list[tuple[int, ...]]] = {}
        for key in self._layers:
            first_of.setdefault(key[0], []).append(key)
        out: list[tuple[str, int, int]] = []
        loose = start  # first item not yet covered

        def cover_loose(upto: int) -> None:
            if upto - loose >= MIN_LAYER_ITEMS:
                out.append(("new", loose, upto))
            else:
                out.extend(("plain", j, j + 1) for j in range(loose, upto))

        k = start
        while k < end:
            fits = [key for key in first_of.get(prints[k], ())
                    if len(key) <= end - k and tuple(prints[k:k + len(key)]) == key]
            if not fits:
                k += 1
                continue
            cover_loose(k)
            key = max(fits, key=len)
            out.append(("kept", k, k + len(key)))
            k = loose = k + len(key)
        cover_loose(end)
        return out

    @staticmethod
    def _make_layer(camera: FastThreeDCamera, ctx: cairo.Context, batch: VMobjectBatch,
                    numbers: list[int]) -> Layer:
        """Draw batch items `numbers` into a transparent frame, cropped to what they cover."""
        width, height = camera.pixel_width, camera.pixel_height
        surface = cairo.ImageSurface(cairo.FORMAT_ARGB32, width, height)
        layer_ctx = cairo.Context(surface)
        layer_ctx.set_matrix(ctx.get_matrix())
        for number in numbers:
            batch.draw(layer_ctx, number)
        surface.flush()
        pixels = np.ndarray((height, surface.get_stride() // 4), dtype=np.uint32,
                            buffer=surface.get_data())[:, :width]
        rows = np.flatnonzero(pixels.any(axis=1))
        if rows.size == 0:
            return Layer(None, 0, 0)
        cols = np.flatnonzero(pixels[rows[0]:rows[-1] + 1].any(axis=0))
        left, top = int(cols[0]), int(rows[0])
        crop = cairo.ImageSurface(cairo.FORMAT_ARGB32, int(cols[-1]) + 1 - left,
                                  int(rows[-1]) + 1 - top)
        crop_ctx = cairo.Context(crop)
        crop_ctx.set_operator(cairo.OPERATOR_SOURCE)
        crop_ctx.set_source_surface(surface, -left, -top)
        crop_ctx.paint()
        crop.flush()
        return Layer(crop, left, top)


def _composite(ctx: cairo.Context, layer: Layer) -> None:
    """Paint a layer over the frame at its pixel offset."""
    if layer.surface is None:
        return
    ctx.save()
    ctx.identity_matrix()
    ctx.set_source_surface(layer.surface, layer.left, layer.top)
    ctx.paint()
    ctx.restore()
