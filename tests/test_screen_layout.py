"""Layout of the main video on screen: no text over another text, an inset, the path or the ball;
every text tall enough to read.

The scene is posed at its key moments (early and late in the roll, the map from above) on the
three frames gdviz renders, in English and Japanese, and every text's box is measured as the
camera draws it (`points_to_subpixel_coords`: pinned text as it is, 3D labels projected).
"""

from __future__ import annotations

import itertools
import os

import numpy as np
import pytest
from manim import DecimalNumber, MathTex, Mobject, SingleStringMathTex, Text, tempconfig
from support.stills import pose_map, pose_roll

from scenes.descent import GradientDescent
from scenes.kit.render3d.numbers import FastDecimalNumber

ASPECTS = {"16:9": (854, 480), "1:1": (480, 480), "9:16": (480, 854)}
TEXT_TYPES = (Text, MathTex, SingleStringMathTex, DecimalNumber, FastDecimalNumber)
# Boxes may touch: text boxes include their glyphs' side bearings.
TOUCH_PX = 1.0
MIN_TEXT_PX = 12.0


def texts_in(mob: Mobject) -> list[Mobject]:
    """The outermost text mobjects in `mob`'s family (a MathTex counts once, not per glyph)."""
    if isinstance(mob, TEXT_TYPES):
        return [mob]
    return [t for sub in mob.submobjects for t in texts_in(sub)]


def visible(mob: Mobject) -> bool:
    fam = [m for m in mob.get_family() if m.has_points()]
    return bool(fam) and any(
        (m.get_fill_opacity() > 0.05 or m.get_stroke_opacity() > 0.05) for m in fam)


def pixel_box(scene, mob: Mobject) -> tuple[float, float, float, float]:
    """(x0, x1, y0, y1) in pixels of `mob` as the camera draws it."""
    pts = np.vstack([m.points for m in mob.get_family() if m.has_points()])
    px = scene.camera.points_to_subpixel_coords(mob, pts)
    return (float(px[:, 0].min()), float(px[:, 0].max()), float(px[:, 1].min()),
            float(px[:, 1].max()))


def overlap(a, b, tol: float = TOUCH_PX) -> bool:
    return (min(a[1], b[1]) - max(a[0], b[0]) > tol) and (min(a[3], b[3]) - max(a[2], b[2]) > tol)


def screen_texts(scene) -> list[tuple[str, Mobject, tuple[float, float, float, float]]]:
    """Every visible text on screen with a readable name and its pixel box."""
    out = []
    for top in scene.mobjects:
        for t in texts_in(top):
            if visible(t):
                name = (getattr(t, "tex_string", None) or getattr(t, "original_text", None)
                        or type(t).__name__)
                out.append((str(name)[:40], t, pixel_box(scene, t)))
    return out


def obstacles(scene) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Insets, the ball and the visible path as pixel boxes (the path in short pieces)."""
    out = []
    for name in ("data_panel", "loss_curve", "loss_scale"):
        mob = getattr(scene, name, None)
        if mob is not None and mob in scene.mobjects:
            out.append((name, pixel_box(scene, mob)))
    ball = getattr(scene, "ball", None)
    if ball is not None and ball in scene.mobjects and ball.get_fill_opacity() > 0:
        c = scene.camera.points_to_subpixel_coords(ball, ball.get_center()[None, :])[0]
        r = ball.get_radius() * scene.camera.get_zoom() * scene.camera.pixel_width \
            / scene.camera.frame_width
        out.append(("ball", (c[0] - r, c[0] + r, c[1] - r, c[1] + r)))
    trail = getattr(scene, "trail", None)
    if trail is not None and trail in scene.mobjects:
        for piece in trail.submobjects:
            if piece.has_points() and piece.get_stroke_opacity() > 0:
                out.append(("path", pixel_box(scene, piece)))
    return out


def collisions(scene) -> list[str]:
    """Pairs that overlap on screen, as readable strings (empty: a clean layout)."""
    texts = screen_texts(scene)
    found = []
    for (na, _, ba), (nb, _, bb) in itertools.combinations(texts, 2):
        if overlap(ba, bb):
            found.append(f"text {na!r} over text {nb!r}")
    for name, mob, box in texts:
        for oname, obox in obstacles(scene):
            owner = getattr(scene, oname, None) if oname != "path" else None
            if owner is not None and mob in owner.get_family():
                continue
            if overlap(box, obox):
                found.append(f"text {name!r} over the {oname}")
    return found


def cap_height_px(mob: Mobject, box: tuple[float, float, float, float]) -> float:
    """On-screen height of a capital H set like `mob` (its font size, scale and projection).

    The ink box of "w" or "=" is shorter than the font; the issue measured digits, whose height
    is about a capital's, so that is the size compared.
    """
    reference = MathTex("H", font_size=48).height / 48.0
    if isinstance(mob, Text):
        reference = Text("H", font=mob.font, font_size=48).height / 48.0
    units = reference * float(mob.font_size)
    return units * (box[3] - box[2]) / mob.height if mob.height > 0 else 0.0


def small_texts(scene, short_px: float) -> list[str]:
    """Texts whose capitals are under MIN_TEXT_PX tall when the frame's short side is 480 px."""
    scale = 480.0 / short_px
    out = []
    for name, mob, box in screen_texts(scene):
        size = cap_height_px(mob, box) * scale
        if size < MIN_TEXT_PX:
            out.append(f"{name!r}: capitals {size:.1f} px")
    return out


def pose_at(aspect: str, language: str, moment: str, config: str | None = None):
    w, h = ASPECTS[aspect]
    cfg = {"pixel_width": w, "pixel_height": h, "frame_height": 8.0, "frame_width": 8.0 * w / h,
           "write_to_movie": False, "disable_caching": True, "renderer": "cairo"}
    saved = {k: os.environ.pop(k) for k in ("GDVIZ_CONFIG", "GDVIZ_PRESET") if k in os.environ}
    old_lang = os.environ.get("GDVIZ_LANG")
    os.environ["GDVIZ_LANG"] = language
    if config is not None:
        os.environ["GDVIZ_CONFIG"] = config
    try:
        with tempconfig(cfg):
            scene = GradientDescent()
            scene.setup()
            if moment == "map":
                pose_map(scene)
            else:
                pose_roll(scene, {"roll_start": 0.3, "roll_end": 1.0}[moment]
                          * scene.timeline.duration)
            # What pose_roll leaves out but the video shows: the insets' names, the loss scale.
            scene.add(scene.data_caption, scene.loss_caption)
            if scene.loss_scale_anims():
                scene.add(scene.loss_scale)
            words = scene.stage.labels
            caption = scene.caption(words.perpendicular if moment == "map" else words.rolling)
            scene.fix(caption)
            scene.add(caption)
            scene.update_self(0)
            scene.camera.reset_rotation_matrix()
    finally:
        os.environ.pop("GDVIZ_CONFIG", None)
        os.environ.update(saved)
        if old_lang is None:
            os.environ.pop("GDVIZ_LANG", None)
        else:
            os.environ["GDVIZ_LANG"] = old_lang
    return scene


CASES = [(a, lang, m) for a in ASPECTS for lang in ("en", "ja")
         for m in ("roll_start", "roll_end", "map")]


@pytest.mark.slow
@pytest.mark.parametrize(("aspect", "language", "moment"), CASES)
def test_no_text_collides_with_text_insets_path_or_ball(aspect, language, moment):
    scene = pose_at(aspect, language, moment)
    problems = collisions(scene)
    assert not problems, "\n".join(problems)


@pytest.mark.slow
@pytest.mark.parametrize(("aspect", "language", "moment"), CASES)
def test_every_text_is_at_least_12_px_at_480p(aspect, language, moment):
    scene = pose_at(aspect, language, moment)
    problems = small_texts(scene, min(ASPECTS[aspect]))
    assert not problems, "\n".join(problems)


def test_collision_check_sees_a_label_moved_onto_another_and_onto_an_inset():
    # The probe: the same checks must fail when a label is put on top of another or an inset.
    scene = pose_at("16:9", "en", "roll_end")
    before = collisions(scene)
    scene.data_caption.move_to(scene.readout.get_center())
    moved = collisions(scene)
    assert len(moved) > len(before)
    assert any("data and fit" in c for c in moved)
    scene.data_caption.move_to(scene.loss_curve.get_center())
    assert any("'data and fit' over the loss_curve" in c for c in collisions(scene))


@pytest.mark.parametrize("preset", ["bend", "valley", "bowl", "plateau", "two-basins"])
def test_rise_to_the_map_turns_the_short_way_by_at_most_120_degrees(preset):
    import gdmath
    from scenes.kit.descent_study import DescentStudy, rise_turn
    from scenes.kit.env import read_environment

    study = DescentStudy(read_environment({"GDVIZ_PRESET": preset}))
    theta0, sweep = study.orbit
    top = study.settings.camera.top_theta
    turn = rise_turn(theta0 + sweep, top)
    assert abs(turn) <= study.settings.camera.max_rise_turn <= 120.0
    # The turn ends on the map's azimuth (mod 360°), whatever the orbit's winding.
    assert (theta0 + sweep + turn - top) % 360.0 == pytest.approx(0.0, abs=1e-9)
    assert gdmath.get_preset(preset).name == preset


@pytest.mark.slow
def test_size_check_sees_a_shrunk_readout():
    # The probe: the numbers shrunk as the old square layout shrank them (to 0.6 of their size)
    # must be reported, each by name.
    scene = pose_at("1:1", "en", "roll_end")
    assert not small_texts(scene, 480)
    scene.readout.scale(0.6)
    found = small_texts(scene, 480)
    assert any("t=" in problem for problem in found), found
    assert len(found) >= 5


# What a stacked frame must give its view and its panels at 480p (the view: the surface's
# bounding box over the whole roll, through the real camera). Before the square frame's column
# layout its panels were 38 px high and the surface 126-153 px wide (7-12 % of the frame); the
# portrait frame's panels were 90 px high and 183 px wide (the data panel dropped its low x
# number), its surface 15-24 % of the frame.
STACKED_ROOM = {"1:1": {"panel_px": 64, "min_share": 0.16, "steadiness": 1.3},
                "9:16": {"panel_px": 88, "min_share": 0.14, "steadiness": 1.3}}


def surface_shares(scene) -> np.ndarray:
    """Share of the frame the surface's bounding box covers at 25 times of the roll."""
    from scenes.kit.axes import scene_points
    from scenes.kit.descent_study import DEG

    study, cam = scene.stage, scene.camera
    grid = scene_points(scene.axes, study.surface.w[None, :], study.surface.b[:, None],
                        np.minimum(study.surface.L, study.l_range[1])).reshape(-1, 3)
    shares = []
    for tau in np.linspace(0.0, scene.timeline.duration, 25):
        phi, theta = scene.timeline.camera_at(tau)
        scene.set_camera_orientation(phi=phi * DEG, theta=theta * DEG)
        scene.frame_roll(tau)
        cam.reset_rotation_matrix()
        screen = cam.project_points(grid)[:, :2]
        width, height = screen.max(axis=0) - screen.min(axis=0)
        shares.append(width * height / (cam.frame_width * cam.frame_height))
    return np.array(shares)


@pytest.mark.slow
@pytest.mark.parametrize("language", ["en", "ja"])
@pytest.mark.parametrize("aspect", list(STACKED_ROOM))
def test_stacked_frames_give_the_view_and_panels_room_and_show_the_loss_scale(aspect, language):
    need = STACKED_ROOM[aspect]
    scene = pose_at(aspect, language, "roll_end")
    # The loss scale is on screen, inside the frame and clear of the texts and the insets.
    assert scene.loss_scale in scene.mobjects
    width, height = ASPECTS[aspect]
    left, right, top, bottom = pixel_box(scene, scene.loss_scale)
    assert 0 <= left and right <= width and 0 <= top and bottom <= height
    for name in ("data_panel", "loss_curve"):
        assert not overlap(pixel_box(scene, scene.loss_scale),
                           pixel_box(scene, getattr(scene, name))), f"loss scale over {name}"
    assert not collisions(scene)
    # The panels are not flat, and the data panel keeps both its x end numbers.
    for name in ("data_panel", "loss_curve"):
        box = pixel_box(scene, getattr(scene, name))
        assert box[3] - box[2] >= need["panel_px"], f"{name} {box[3] - box[2]:.0f} px high"
    assert len(scene.data_panel.submobjects[0].x_numbers) == 2
    # The surface fills a large, steady share of the frame over the whole roll.
    shares = surface_shares(scene)
    assert shares.min() >= need["min_share"], f"the surface covers {shares.min():.3f} at least"
    assert shares.max() / shares.min() <= need["steadiness"], (
        f"the surface's share varies {shares.max() / shares.min():.2f}×")


@pytest.mark.slow
def test_stacked_checks_see_a_flat_panel_and_a_loss_scale_on_an_inset():
    # The probe: a panel squashed to the old square layout's height, and the loss scale moved
    # onto the loss panel, must be reported.
    scene = pose_at("1:1", "en", "roll_end")
    scene.loss_scale.move_to(scene.loss_curve.get_center())
    assert any("over the loss_curve" in problem for problem in collisions(scene))
    scene.data_panel.stretch(38.0 / (pixel_box(scene, scene.data_panel)[3]
                                     - pixel_box(scene, scene.data_panel)[2]), 1)
    box = pixel_box(scene, scene.data_panel)
    assert box[3] - box[2] < STACKED_ROOM["1:1"]["panel_px"]


# The last is fitted in standardised x (its condition number is 1.3·10⁵): the model then reads
# y = φ(w·u + b), u = (x − x̄)/sₓ, wider than the others.
REAL_DATA = ["iris setosa by petal length", "penguins Gentoo by flipper length",
             "spector grade by GPA", "penguins flipper by bill length"]


@pytest.mark.slow
@pytest.mark.parametrize("moment", ["roll_end", "map"])
@pytest.mark.parametrize("dataset", REAL_DATA)
def test_real_data_layout_is_clean_and_readable(tmp_path, dataset, moment):
    # Real data stretches the view and its numbers (×10ᵏ, long ticks): the same checks there,
    # on the config each dataset's diagnosis suggests.
    from test_real_data_render import write_config

    scene = pose_at("16:9", "en", moment, str(write_config(tmp_path, dataset, "suggested")))
    problems = collisions(scene) + small_texts(scene, 480)
    assert not problems, "\n".join(problems)


@pytest.mark.slow
def test_a_wide_model_keeps_to_its_column(tmp_path):
    # Standardised data: y = φ(w·u + b), u = (x − x̄)/sₓ is wider than the left column, which is
    # the captions' margin; at the HUD's size it ran under the map's caption (1080p still).
    from test_real_data_render import write_config

    scene = pose_at("16:9", "en", "map",
                    str(write_config(tmp_path, "penguins flipper by bill length", "suggested")))
    assert scene.stage.scenario.standardization is not None
    block = scene.model_in_corner(scene.model_equations())
    lay = scene.settings.layout
    assert block.width <= lay.left_column_width - lay.label_gap + 1e-9
