"""Tests for scenes.kit.render3d: projection, shading, occlusion and animation support."""

from __future__ import annotations

import itertools as it
import time

import numpy as np
import pytest
from manim import (
    BLUE_D,
    BLUE_E,
    DEGREES,
    ORIGIN,
    RED,
    UP,
    FadeIn,
    FadeOut,
    Line,
    Surface,
    ThreeDCamera,
    ThreeDVMobject,
    linear,
    tempconfig,
)
from manim.utils.hashing import get_json

from scenes.kit.render3d.ball import ShadedBall
from scenes.kit.render3d.camera import FastThreeDCamera, FastThreeDScene
from scenes.kit.render3d.shading import project_points_fast
from scenes.kit.render3d.surface import FastSurface

TINY = (256, 144)
SMALL = (640, 360)
BOWL_HALF_WIDTH = 3.5
# Ray samples this close to the ball's centre (in radii) are the ball's own support.
RAY_SKIP_RADII = 1.5
# Margin by which rays to the eye must clear the mesh (it is piecewise flat).
RAY_CLEARANCE_RADII = 0.5
HILL_RGB = np.array([0.1, 0.3, 0.9])
# A pixel is "ball red" when red is bright and well above green and blue: true on the
# whole shaded ball (highlight to rim), never on the blue hill or black background.
RED_MIN = 90
RED_EXCESS_MIN = 50

CAMERA_ANGLES = [
    # phi, theta, gamma, zoom, focal distance, frame centre, exponential projection
    (0.0, -90 * DEGREES, 0.0, 1.0, 20.0, ORIGIN, False),
    (70 * DEGREES, -135 * DEGREES, 0.0, 1.0, 20.0, ORIGIN, False),
    (65 * DEGREES, 30 * DEGREES, 10 * DEGREES, 1.4, 12.0, np.array([0.5, -1.0, 0.3]), False),
    (110 * DEGREES, 200 * DEGREES, -25 * DEGREES, 0.7, 8.0, ORIGIN, False),
    (50 * DEGREES, -60 * DEGREES, 0.0, 1.0, 10.0, np.array([1.0, 0.0, -0.5]), True),
]


def make_camera(cls=FastThreeDCamera, size=TINY, **orientation) -> ThreeDCamera:
    camera = cls(pixel_width=size[0], pixel_height=size[1])
    for name, value in orientation.items():
        if name == "frame_center":
            camera.frame_center = value
        else:
            getattr(camera, f"set_{name}")(value)
    camera.reset_rotation_matrix()
    return camera


def height_grid(func, x_range, y_range, n: int) -> np.ndarray:
    """Grid of shape (n + 1, n + 1, 3) over (x, y), rows along y, z = func(x, y)."""
    x, y = np.meshgrid(np.linspace(*x_range, n + 1), np.linspace(*y_range, n + 1))
    return np.stack([x, y, func(x, y)], axis=-1)


def red_mask(frame: np.ndarray) -> np.ndarray:
    """Pixels that can only come from the red ball (the hill is blue, background black)."""
    rgb = frame[..., :3].astype(int)
    red_excess = rgb[..., 0] - np.maximum(rgb[..., 1], rgb[..., 2])
    return (rgb[..., 0] > RED_MIN) & (red_excess > RED_EXCESS_MIN)


def interior(mask: np.ndarray) -> np.ndarray:
    """``mask`` eroded by one pixel: drops the antialiased rim, whose colour depends on
    what lies behind it."""
    out = mask.copy()
    out[1:] &= mask[:-1]
    out[:-1] &= mask[1:]
    out[:, 1:] &= mask[:, :-1]
    out[:, :-1] &= mask[:, 1:]
    return out


def assert_ball_fully_drawn(
    frame: np.ndarray, ball_alone: np.ndarray, context: object = None
) -> None:
    """Every interior pixel of the ball is exactly as when the ball is drawn alone."""
    inside = interior(red_mask(ball_alone))
    assert inside.sum() > 10, context
    mismatched = np.any(frame[inside] != ball_alone[inside], axis=-1).sum()
    assert mismatched == 0, (context, mismatched, inside.sum())


def pixel_of(camera: ThreeDCamera, point: np.ndarray) -> tuple[int, int]:
    """(row, col) of the pixel a 3D point projects to."""
    x, y = camera.project_points(np.asarray(point, dtype=float)[None, :])[0, :2]
    px_per_unit = camera.pixel_width / camera.frame_width
    return int(camera.pixel_height / 2 - y * px_per_unit), int(
        camera.pixel_width / 2 + x * px_per_unit
    )


# --- projection ----------------------------------------------------------------------


@pytest.mark.parametrize("angles", CAMERA_ANGLES)
def test_projection_matches_three_d_camera(angles):
    phi, theta, gamma, zoom, focal, center, exponential = angles
    camera = make_camera(
        phi=phi, theta=theta, gamma=gamma, zoom=zoom, focal_distance=focal, frame_center=center
    )
    camera.exponential_projection = exponential
    points = np.random.default_rng(0).uniform(-8, 8, size=(500, 3))
    xy, depth, scale = project_points_fast(camera, points)
    expected = camera.project_points(points)
    np.testing.assert_allclose(xy, expected[:, :2], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(depth, expected[:, 2], rtol=1e-12, atol=1e-12)
    # The scale is what turns a radius at that depth into an on-screen radius.
    rotated = (points - camera.frame_center) @ camera.get_rotation_matrix().T
    np.testing.assert_allclose(xy, rotated[:, :2] * scale[:, None], rtol=1e-12)


# --- shading -------------------------------------------------------------------------


def bilinear(u, v):
    # Bilinear in (u, v): straight along each parameter line, so stock Surface's
    # Bézier handles land exactly on the grid's straight edges, but the quads are
    # not planar, which exercises both of manim's shading normals.
    return np.array([u, v, 0.4 * u * v + 0.3 * u - 0.2 * v])


@pytest.mark.parametrize("light", [None, np.array([3.0, 4.0, 2.0]), np.array([-2.0, 1.0, -6.0])])
def test_shading_matches_stock_surface(light):
    n = 6
    stock = Surface(bilinear, u_range=(-2, 2), v_range=(-1.5, 1.5), resolution=n)
    u, v = np.meshgrid(np.linspace(-2, 2, n + 1), np.linspace(-1.5, 1.5, n + 1))
    grid = np.moveaxis(bilinear(u, v), 0, -1)
    checker = np.array([BLUE_D.to_rgb(), BLUE_E.to_rgb()])
    i, j = np.meshgrid(np.arange(n), np.arange(n))
    fast = FastSurface(grid, face_colors=checker[(i + j) % 2])

    camera = make_camera(cls=ThreeDCamera)
    if light is not None:
        camera.light_source.move_to(light)
    light_source = camera.light_source.points[0]
    corners = fast.shaded_corner_rgbs(light_source)
    fills = fast.shaded_fill_rgbas(light_source)
    for face in stock.submobjects:
        stock_rgbas = camera.get_fill_rgbas(face)  # the two gradient stops
        index = face.v_index * n + face.u_index  # fast faces: rows along v (b), cols along u (w)
        np.testing.assert_allclose(
            np.clip(corners[index], 0, 1), np.clip(stock_rgbas[:, :3], 0, 1), atol=1 / 255
        )
        np.testing.assert_allclose(
            fills[index, :3], np.clip(stock_rgbas[:, :3], 0, 1).mean(axis=0), atol=1 / 255
        )


def test_shading_matches_stock_faces_of_curved_mesh():
    # A bowl with a bump, faces built the way Surface builds them (corners → Bézier).
    n = 8
    grid = height_grid(
        lambda x, y: 0.3 * x**2 + 0.2 * y**2 + np.exp(-(x**2 + y**2)), (-2, 2), (-2, 2), n
    )
    fast = FastSurface(grid, face_colors=BLUE_D)
    camera = make_camera(cls=ThreeDCamera)
    corners = fast.shaded_corner_rgbs(camera.light_source.points[0])
    for index, (a, b, c, d) in enumerate(zip(*fast.corner_arrays(), strict=True)):
        face = ThreeDVMobject().set_points_as_corners([a, b, c, d, a]).set_fill(BLUE_D, 1)
        np.testing.assert_allclose(corners[index], camera.get_fill_rgbas(face)[:, :3], atol=1 / 255)


# --- occlusion -------------------------------------------------------------------------


def ridge(x, y):
    """A ridge along x at y = -1.5, 3 units high."""
    return 3.0 * np.exp(-((y + 1.5) ** 2) / 0.5)


def capture(camera: FastThreeDCamera, *mobjects) -> np.ndarray:
    camera.reset()
    camera.capture_mobjects(list(mobjects))
    return camera.pixel_array.copy()


@pytest.fixture
def ridge_scene():
    # Camera on the -y side, 20° above the horizon, looking towards +y.
    camera = make_camera(phi=70 * DEGREES, theta=-90 * DEGREES)
    hill = FastSurface(height_grid(ridge, (-5, 5), (-3, 0), 24), face_colors=HILL_RGB)
    return camera, hill


def test_hill_hides_ball_behind_it(ridge_scene):
    camera, hill = ridge_scene
    behind = np.array([0.0, 2.0, 0.5])
    ball = ShadedBall(center=behind, radius=0.3, color=RED)
    alone = capture(camera, ball)
    assert red_mask(alone).sum() > 30, "the ball alone must be visible"
    row, col = pixel_of(camera, behind)
    hill_only = capture(camera, hill)
    assert not red_mask(hill_only)[row, col] and hill_only[row, col, 2] > 100, (
        "hill covers that pixel"
    )

    for order in ((hill, ball), (ball, hill)):  # scene order must not matter
        frame = capture(camera, *order)
        assert red_mask(frame).sum() == 0
        np.testing.assert_array_equal(frame, hill_only)


def test_ball_in_front_of_hill_is_seen(ridge_scene):
    camera, hill = ridge_scene
    front = np.array([0.0, -4.0, 1.0])  # the ray through it goes on to hit the ridge
    ball = ShadedBall(center=front, radius=0.3, color=RED)
    row, col = pixel_of(camera, front)
    assert capture(camera, hill)[row, col, 2] > 100, "the hill is behind the ball on screen"
    alone = capture(camera, ball)
    for order in ((hill, ball), (ball, hill)):
        frame = capture(camera, *order)
        assert red_mask(frame)[row, col]
        assert_ball_fully_drawn(frame, alone, order)


def shallow_bowl(x, y):
    return 0.06 * x**2 + 0.08 * y**2 + 1.2 * np.exp(-((x - 1) ** 2 + (y + 0.5) ** 2) / 0.6)


def clears_surface(camera: ThreeDCamera, center: np.ndarray, radius: float) -> bool:
    """Ground truth: whether the whole ball is in plain view of the eye.

    Rays from the centre and from four points of the ball's outline (as seen by
    the camera) to the eye must pass at least ``RAY_CLEARANCE_RADII`` radii above
    the surface, away from the ball's own support.
    """
    to_world = camera.get_rotation_matrix().T
    eye = camera.frame_center + camera.get_focal_distance() * (to_world @ np.array([0.0, 0.0, 1.0]))
    screen_axes = [to_world @ np.array(axis) for axis in ((1.0, 0, 0), (0, 1.0, 0))]
    starts = [center] + [center + sign * radius * axis for axis in screen_axes for sign in (-1, 1)]
    for start in starts:
        for t in np.linspace(0.0, 1.0, 400):
            q = start + t * (eye - start)
            if (
                np.linalg.norm(q - center) < RAY_SKIP_RADII * radius
                or np.abs(q[:2]).max() > BOWL_HALF_WIDTH
            ):
                continue
            if q[2] - shallow_bowl(q[0], q[1]) < RAY_CLEARANCE_RADII * radius:
                return False
    return True


def test_ball_resting_on_surface_is_not_cut():
    # A bowl meshed like the real valley (64² faces), a ball resting at many places.
    surface = FastSurface(
        height_grid(
            shallow_bowl,
            (-BOWL_HALF_WIDTH, BOWL_HALF_WIDTH),
            (-BOWL_HALF_WIDTH, BOWL_HALF_WIDTH),
            64,
        ),
        face_colors=HILL_RGB,
    )
    radius, eps = 0.15, 1e-4
    checked = 0
    for phi, theta in (
        (65 * DEGREES, -60 * DEGREES),
        (50 * DEGREES, 120 * DEGREES),
        (75 * DEGREES, 200 * DEGREES),
    ):
        camera = make_camera(size=SMALL, phi=phi, theta=theta)
        for x, y in it.product(np.linspace(-2.5, 2.5, 6), repeat=2):
            p = np.array([x, y, shallow_bowl(x, y)])
            dz_dx = (shallow_bowl(x + eps, y) - p[2]) / eps
            dz_dy = (shallow_bowl(x, y + eps) - p[2]) / eps
            normal = np.array([-dz_dx, -dz_dy, 1.0]) / np.sqrt(1 + dz_dx**2 + dz_dy**2)
            center = p + radius * normal
            if not clears_surface(camera, center, radius):
                continue  # a hill (or the rim) really is in the way
            checked += 1
            ball = ShadedBall(center=center, radius=radius, color=RED)
            assert_ball_fully_drawn(
                capture(camera, surface, ball), capture(camera, ball), (phi, theta, x, y)
            )
    assert checked >= 50


def test_non_3d_mobjects_are_drawn_on_top(ridge_scene):
    camera, hill = ridge_scene
    overlay = ShadedBall(center=np.array([0.0, -0.5, 0.0]), radius=0.5, color=RED)
    overlay.shade_in_3d = False  # a flat overlay, as fixed-in-frame labels are
    camera.add_fixed_in_frame_mobjects(overlay)
    frame = capture(camera, overlay, hill)
    assert red_mask(frame).sum() > 30


@pytest.mark.parametrize("y, visible", [(2.0, False), (-4.0, True)])
def test_stock_3d_vmobjects_are_depth_merged(ridge_scene, y, visible):
    camera, hill = ridge_scene
    segment = Line([-1.0, y, 0.8], [1.0, y, 0.8], color=RED, stroke_width=12).set_shade_in_3d(True)
    assert red_mask(capture(camera, segment)).sum() > 20
    for order in ((hill, segment), (segment, hill)):
        assert (red_mask(capture(camera, *order)).sum() > 20) == visible


def test_face_color_forms():
    grid = height_grid(lambda x, y: 0 * x, (-1, 1), (-1, 1), 2)
    per_face = np.array([[[1, 0, 0], [0, 1, 0]], [[0, 0, 1], [1, 1, 1]]], dtype=float)
    np.testing.assert_allclose(FastSurface(grid, face_colors=per_face).get_face_colors(), per_face)
    np.testing.assert_allclose(
        FastSurface(grid, face_colors=(0.1, 0.2, 0.3)).face_rgbs, [[0.1, 0.2, 0.3]] * 4
    )
    np.testing.assert_allclose(FastSurface(grid, face_colors="#ff0000").face_rgbs, [[1, 0, 0]] * 4)
    np.testing.assert_allclose(
        FastSurface(grid, face_colors=RED).set_fill(BLUE_D).face_rgbs, [BLUE_D.to_rgb()] * 4
    )
    with pytest.raises(ValueError):
        FastSurface(grid, face_colors=np.zeros((3, 3, 3)))


# --- style changes and animation -------------------------------------------------------


def bowl_surface(n: int = 16) -> FastSurface:
    return FastSurface(
        height_grid(lambda x, y: 0.2 * (x**2 + y**2), (-3, 3), (-3, 3), n), face_colors=HILL_RGB
    )


def test_opacity_change_changes_pixels():
    camera = make_camera(phi=60 * DEGREES, theta=-45 * DEGREES)
    surface = bowl_surface()
    opaque = capture(camera, surface)
    assert (opaque[..., :3].sum(axis=2) > 0).mean() > 0.1
    surface.set_opacity(0.3)
    faded = capture(camera, surface)
    assert faded[..., 2].mean() < 0.6 * opaque[..., 2].mean()
    surface.set_fill(opacity=0.0)
    np.testing.assert_array_equal(capture(camera, surface), capture(camera))


def test_hash_is_deterministic_and_cheap():
    surface = bowl_surface(64)
    start = time.perf_counter()
    first = get_json(surface)
    assert time.perf_counter() - start < 1.0
    assert get_json(surface) == first
    assert get_json(surface.copy()) == first
    surface.set_fill(opacity=0.5)
    assert get_json(surface) != first
    ball = ShadedBall()
    assert get_json(ball) == get_json(ball.copy())


def test_transform_and_style_interpolation():
    surface = bowl_surface(4)
    target = surface.copy().shift(UP).set_fill(RED, opacity=0.5)
    mid = surface.copy()
    mid.align_data(target)
    mid.interpolate(surface, target, 0.5)
    np.testing.assert_allclose(mid.get_grid(), surface.get_grid() + 0.5 * UP)
    np.testing.assert_allclose(mid.face_rgbs, 0.5 * (surface.face_rgbs + target.face_rgbs))
    assert mid.get_fill_opacity() == pytest.approx(0.75)
    with pytest.raises(NotImplementedError):
        surface.copy().align_data(bowl_surface(5))


def test_ball_api():
    ball = ShadedBall(center=[1.0, 2.0, 3.0], radius=0.2)
    np.testing.assert_allclose(ball.get_center(), [1, 2, 3])
    ball.move_to(np.array([-1.0, 0.5, 2.0]))
    np.testing.assert_allclose(ball.get_center(), [-1, 0.5, 2])
    assert ball.get_radius() == pytest.approx(0.2)
    ball.scale(2)
    assert ball.get_radius() == pytest.approx(0.4)
    np.testing.assert_allclose(ball.get_center(), [-1, 0.5, 2])


BEHIND = np.array([0.0, 2.0, 0.5])  # behind the ridge, seen from theta = -90°


class _AnimatedScene(FastThreeDScene):
    """Opacity animation, a ball rolling behind a hill with a still camera, FadeOut."""

    def construct(self):
        self.set_camera_orientation(phi=70 * DEGREES, theta=-90 * DEGREES)
        hill = FastSurface(height_grid(ridge, (-5, 5), (-3, 0), 24), face_colors=HILL_RGB)
        ball = ShadedBall(center=np.array([3.0, -4.0, 1.0]), radius=0.3, color=RED)
        self.play(FadeIn(hill), FadeIn(ball), run_time=0.2)
        self.frames = {"start": self.grab()}
        # Camera still: only the ball moves, from in front of the hill to behind it.
        self.play(ball.animate.move_to(BEHIND), run_time=0.2, rate_func=linear)
        self.frames["ball_behind"] = self.grab()
        self.play(hill.animate.set_fill(opacity=0.2), run_time=0.2)
        self.frames["faded"] = self.grab()
        self.begin_ambient_camera_rotation(rate=1.0)
        self.wait(0.2)
        self.stop_ambient_camera_rotation()
        self.frames["orbited"] = self.grab()
        self.set_camera_orientation(theta=-90 * DEGREES)
        self.play(FadeOut(hill), FadeOut(ball), run_time=0.2)
        self.frames["gone"] = self.grab()

    def grab(self) -> np.ndarray:
        # The last frame a play() renders is one step short of its end state.
        self.renderer.update_frame(self)
        return self.renderer.get_frame()


def test_scene_animations_change_pixels(tmp_path):
    with tempconfig(
        {
            "pixel_width": TINY[0],
            "pixel_height": TINY[1],
            "frame_rate": 10,
            "media_dir": str(tmp_path),
            "progress_bar": "none",
            "verbosity": "WARNING",
            "format": "mp4",
            "disable_caching": False,  # exercise play-call hashing of the mobjects
        }
    ):
        scene = _AnimatedScene()
        scene.render()
        rerun = _AnimatedScene()  # same scene again: same play hashes, served from cache
        rerun.render()
    hashes = scene.renderer.animations_hashes
    assert len(set(hashes)) == len(hashes) == 5 and not any(
        h.startswith("uncached") for h in hashes
    )
    # Plays after the ambient rotation are left out: when a cached play is skipped,
    # manim advances updaters in one step instead of per frame, so the camera angle
    # differs in its last bits (stock ThreeDScene with a Square does the same).
    assert rerun.renderer.animations_hashes[:4] == hashes[:4]
    frames = scene.frames
    assert red_mask(frames["start"]).sum() > 30
    assert red_mask(frames["ball_behind"]).sum() == 0, "ball must stay hidden behind the hill"
    assert np.abs(frames["faded"].astype(int) - frames["ball_behind"].astype(int)).mean() > 5
    row, col = pixel_of(scene.renderer.camera, BEHIND)
    assert frames["faded"][row, col, 0] > frames["ball_behind"][row, col, 0] + 40, (
        "a faded hill lets the ball show through"
    )
    assert np.abs(frames["orbited"].astype(int) - frames["faded"].astype(int)).mean() > 1
    background = frames["gone"][0, 0]
    assert np.all(frames["gone"] == background)


# --------------------------------------------------------------------------- plain VMobjects
def _plain_zoo(camera: FastThreeDCamera) -> list:
    """VMobjects of every kind the fast batch draws, and a few it hands back to manim."""
    from manim import (
        BLUE,
        GREEN,
        DashedLine,
        MathTex,
        Polygon,
        Square,
        ThreeDAxes,
        VMobject,
    )

    axes = ThreeDAxes(x_range=(-3, 3, 1), y_range=(-3, 3, 1), z_range=(0, 3, 1))
    path = VMobject(stroke_color=RED, stroke_width=4, shade_in_3d=True)
    t = np.linspace(0, 1, 40)
    path.set_points_as_corners(np.stack([3 * np.cos(5 * t) * t, 2 * t - 1, t ** 2], axis=1))
    pieces = []
    for k in range(0, 36, 5):  # a path in shaded pieces, like the descent trail
        piece = VMobject(stroke_color=BLUE, stroke_width=3, shade_in_3d=True)
        piece.set_points_as_corners(path.get_anchors()[2 * k:2 * k + 12:2])
        pieces.append(piece)
    face = Polygon([-2, -2, 0.5], [2, -2, 0.5], [0, 2, 1.5], fill_opacity=0.6,
                   stroke_width=2).set_shade_in_3d(True)
    flat = Square(side_length=1.5, fill_color=GREEN, fill_opacity=0.8, stroke_width=5)
    flat.shift(3 * np.array([1.0, 0.0, 0.0]))
    dashed = DashedLine([-3, 2, 0], [3, 2, 1], stroke_width=3)
    text = MathTex(r"l(w, b)", font_size=40).to_corner(UP)
    text.set_stroke(BLUE, width=4, background=True)
    camera.add_fixed_in_frame_mobjects(text)
    gradient = Square().set_stroke([RED, GREEN], width=6).shift(-3 * np.array([1.0, 0, 0]))
    broken = Line([0, 0, 0], [1, 1, 0])
    broken.points[2] = np.nan  # non-finite: manim's own code decides (it draws nothing)
    return [axes, path, *pieces, face, flat, dashed, text, gradient, broken]


@pytest.mark.parametrize("angles", CAMERA_ANGLES[:4])
def test_plain_vmobjects_are_drawn_exactly_as_manim_draws_them(monkeypatch, angles):
    import scenes.kit.render3d.camera as fastmesh

    phi, theta, gamma, zoom, focal, center, exponential = angles
    frames = []
    for fast in (True, False):
        camera = make_camera(size=SMALL, phi=phi, theta=theta, gamma=gamma, zoom=zoom,
                             focal_distance=focal, frame_center=center)
        camera.exponential_projection = exponential
        camera.reset_rotation_matrix()
        mobjects = _plain_zoo(camera)
        hill = FastSurface(height_grid(ridge, (-5, 5), (-3, 0), 12), face_colors=HILL_RGB)
        if not fast:
            monkeypatch.setattr(fastmesh, "is_plain_vmobject", lambda _m: False)
        frames.append(capture(camera, hill, *mobjects))
        monkeypatch.undo()
    fast_frame, stock_frame = frames
    differing = int((fast_frame != stock_frame).any(axis=2).sum())
    assert differing == 0, f"{differing} pixels differ from manim's own drawing"
    assert fast_frame[..., :3].any()


def test_unit_normals_match_manim():
    from manim.utils.space_ops import get_unit_normal

    rng = np.random.default_rng(3)
    v1 = rng.normal(size=(200, 3))
    v2 = rng.normal(size=(200, 3))
    # Edge cases: aligned, null, along z, one null.
    v1[:6] = [[1, 2, 3], [0, 0, 0], [0, 0, 2], [0, 0, 0], [1e-9, 0, 1], [3, 0, 0]]
    v2[:6] = [[2, 4, 6], [0, 0, 0], [0, 0, -1], [1, 1, 0], [0, 0, 1], [0, 0, 0]]
    from scenes.kit.render3d.shading import unit_normals

    expected = np.array([get_unit_normal(a, b) for a, b in zip(v1, v2, strict=True)])
    np.testing.assert_allclose(unit_normals(v1, v2), expected, atol=1e-12)


def test_display_list_and_pinning_match_manim():
    from manim import VGroup
    from manim.camera.camera import Camera

    camera = make_camera()
    shared = Line(ORIGIN, UP)
    inner = VGroup(Line(ORIGIN, 2 * UP), shared)
    outer = VGroup(inner, shared, VGroup(), Line(UP, 3 * UP))
    ball = ShadedBall()
    mobjects = [outer, ball, inner]
    assert camera._mobjects_to_display(mobjects) == Camera.get_mobjects_to_display(
        camera, mobjects)
    camera.add_fixed_in_frame_mobjects(outer)
    assert camera.fixed_in_frame_mobjects == set(outer.get_family())
