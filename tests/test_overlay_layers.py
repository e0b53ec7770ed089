"""The overlay's kept layers (scenes.kit.render3d.overlay) draw what drawing every item draws."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from manim import DEGREES, DOWN, LEFT, RIGHT, UP, Square, Text, VGroup

from scenes.kit.render3d.camera import FastThreeDCamera
from scenes.kit.render3d.overlay import MIN_LAYER_ITEMS, MIN_STEADY_FRAMES
from scenes.kit.render3d.surface import FastSurface
from tests.test_fastmesh import HILL_RGB, SMALL, height_grid, make_camera, ridge

# Compositing a layer rounds premultiplied 8-bit colours once more than drawing in place:
# a few levels on anti-aliased edges, nothing in flat areas.
MAX_LEVELS = 3
MAX_DIFFERING_SHARE = 0.002
# At 426×240 the glyphs' anti-aliased edges are a larger share of the frame.
MAX_DIFFERING_SHARE_TINY = 0.01


def _scene(camera: FastThreeDCamera) -> dict:
    """A hill, a pinned caption (a run of glyphs), a live number, and an unpinned square."""
    hill = FastSurface(height_grid(ridge, (-5, 5), (-3, 0), 16), face_colors=HILL_RGB)
    caption = Text("the valley floor", font_size=30).to_corner(UP + LEFT)
    caption.set_stroke("#0d1117", width=6, background=True)
    number = Text("0.000", font_size=30).to_corner(DOWN + RIGHT)
    rule = Text("w ← w − η ∂l/∂w", font_size=30).to_corner(DOWN + LEFT)
    square = Square(side_length=1.0, fill_opacity=0.5, stroke_width=4).shift(2 * RIGHT)
    camera.add_fixed_in_frame_mobjects(caption, number, rule)
    return {"hill": hill, "caption": caption, "number": number, "rule": rule, "square": square}


def _frames(keep: bool, steps) -> tuple[list[np.ndarray], list[int]]:
    camera = make_camera(size=SMALL, phi=70 * DEGREES, theta=-90 * DEGREES)
    camera.keep_overlay_layers = keep
    mobs = _scene(camera)
    frames, reused = [], []
    for step in steps:
        step(camera, mobs)
        camera.reset()
        camera.capture_mobjects([mobs["hill"], mobs["caption"], mobs["number"], mobs["rule"],
                                 mobs["square"]])
        frames.append(camera.pixel_array.copy())
        reused.append(camera._overlay_layers.reused)
    return frames, reused


def _hold(camera, mobs):
    pass


def _count(value):
    def step(camera, mobs):
        fresh = Text(f"{value:.3f}", font_size=30).move_to(mobs["number"])
        mobs["number"].become(fresh)
        camera.add_fixed_in_frame_mobjects(mobs["number"])
    return step


def _orbit(camera, mobs):
    camera.set_theta(camera.get_theta() + 20 * DEGREES)
    camera.reset_rotation_matrix()


def _recolour_in_place(camera, mobs):
    for glyph in mobs["caption"]:
        glyph.fill_rgbas[:, :3] = [1.0, 0.2, 0.2]  # a change no new array announces


def _shift_square(camera, mobs):
    mobs["square"].shift(0.5 * UP)


STEPS = [_hold, _hold, _count(0.5), _hold, _orbit, _hold, _recolour_in_place, _hold,
         _shift_square, _count(1.25), _hold]


def _differences(kept: np.ndarray, direct: np.ndarray) -> tuple[int, float]:
    levels = np.abs(kept.astype(int) - direct.astype(int)).max(axis=2)
    return int(levels.max()), float((levels > 0).mean())


def test_kept_layers_draw_what_drawing_every_item_draws():
    kept, reused = _frames(True, STEPS)
    direct, _ = _frames(False, STEPS)
    for k, (frame_kept, frame_direct) in enumerate(zip(kept, direct, strict=True)):
        worst, share = _differences(frame_kept, frame_direct)
        assert worst <= MAX_LEVELS and share <= MAX_DIFFERING_SHARE, (STEPS[k].__name__, worst,
                                                                      share)
    # Layers were really used: by the last frame the caption and the rule come from them.
    assert reused[:MIN_STEADY_FRAMES] == [0] * MIN_STEADY_FRAMES
    assert reused[-1] >= MIN_LAYER_ITEMS
    # Each step but a hold changes the picture well beyond the rounding, so matching the
    # directly drawn frame means the change shows in the frame it was made in.
    for k, step in enumerate(STEPS[1:], start=1):
        worst, _ = _differences(direct[k], direct[k - 1])
        assert (worst > 10 * MAX_LEVELS) == (step is not _hold), step.__name__


def test_an_item_that_keeps_changing_leaves_its_run():
    camera = make_camera(size=SMALL, phi=70 * DEGREES, theta=-90 * DEGREES)
    mobs = _scene(camera)
    scene = [mobs["hill"], VGroup(mobs["caption"], mobs["number"], mobs["rule"])]
    holds = [_hold] * (MIN_STEADY_FRAMES + 2)
    counts = [_count(1.111 * k) for k in range(1, 7)]  # every digit changes, the point stays
    reused = []
    for step in holds + counts:
        step(camera, mobs)
        camera.reset()
        camera.capture_mobjects(scene)
        reused.append(camera._overlay_layers.reused)
    caption, number, rule = (len(mobs[name]) for name in ("caption", "number", "rule"))
    # Held still, everything comes from one layer once it has been steady long enough.
    assert reused[:MIN_STEADY_FRAMES + 1] == [0] * (MIN_STEADY_FRAMES + 1)
    assert reused[len(holds) - 1] == caption + number + rule
    # The first change splits that layer; once the caption and the rule have their own
    # layers, only the number is drawn again.
    assert reused[-1] == reused[-2] == caption + rule


@pytest.mark.slow
def test_the_main_video_with_kept_layers_is_the_video_drawn_directly(tmp_path, monkeypatch):
    """Every frame of scenes/descent.py (tiny, 4 fps) with layers against without them."""
    from manim import tempconfig
    from manim.renderer.cairo_renderer import CairoRenderer

    from gdviz.parallel import _scene_class

    frames: dict[bool, list[np.ndarray]] = {True: [], False: []}
    original_add = CairoRenderer.add_frame
    for keep in (True, False):
        monkeypatch.setattr(FastThreeDCamera, "keep_overlay_layers", keep)

        def add_frame(self, frame, num_frames=1, keep=keep):
            frames[keep].append(frame.copy())
            return original_add(self, frame, num_frames)

        monkeypatch.setattr(CairoRenderer, "add_frame", add_frame)
        with tempconfig({"pixel_width": 426, "pixel_height": 240, "frame_rate": 4,
                         "media_dir": str(tmp_path), "write_to_movie": False,
                         "disable_caching": True, "progress_bar": "none",
                         "verbosity": "WARNING"}):
            _scene_class(Path(__file__).resolve().parents[1] / "scenes" / "descent.py")().render()
    kept, direct = frames[True], frames[False]
    assert len(kept) == len(direct) > 200
    worst = [_differences(a, b) for a, b in zip(kept, direct, strict=True)]
    assert max(level for level, _ in worst) <= MAX_LEVELS
    assert max(share for _, share in worst) <= MAX_DIFFERING_SHARE_TINY
