"""Render-speed benchmark: stock manim Surface vs FastSurface vs a raw pycairo floor.

Renders the same orbiting valley (a bowl with a bump, ``faces × faces`` quads, a
ball rolling down, the camera orbiting) once with stock ``Surface`` + ``Sphere``
on a ``ThreeDScene`` and once with ``FastSurface`` + ``ShadedBall`` on a
``FastThreeDScene``, both through manim's real render loop (``dry_run``: frames
are drawn but no movie is written, caching off). It also times the floor: plain
pycairo filling the same number of depth-sorted quads per frame. Seconds per
frame and the ratios stock/fast and fast/floor are printed; all are measured in
this one run, because timings on a shared machine drift between runs.

Usage::

    .venv/bin/python benchmarks/render_speed.py              # 1080p, 64² faces, 60 frames
    .venv/bin/python benchmarks/render_speed.py --frames 10 --faces 32
    .venv/bin/python benchmarks/render_speed.py --still /tmp/stock_vs_fast.png   # one frame each
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import cairo
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from manim import (
    BLUE_D,
    BLUE_E,
    DEGREES,
    IN,
    RED_D,
    Mobject,
    Sphere,
    Surface,
    ThreeDAxes,
    ThreeDScene,
    ValueTracker,
    linear,
    tempconfig,
)

from scenes.kit.render3d.ball import ShadedBall
from scenes.kit.render3d.camera import FastThreeDScene
from scenes.kit.render3d.surface import FastSurface

# --- the scene ----------------------------------------------------------------------
DOMAIN = (-3.0, 3.0)  # w and b range of the valley
AXES_LENGTH = 7.0  # scene units spanned by w and b
Z_RANGE = (0.0, 3.0)
Z_LENGTH = 3.5
AXES_DROP = 2.2  # the axes are moved down by this much so the valley fills the frame
BOWL_W, BOWL_B = 0.12, 0.18  # curvature of the bowl along w and b
BUMP_HEIGHT, BUMP_CENTER, BUMP_WIDTH2 = 1.2, (1.0, -0.5), 0.6
BALL_RADIUS = 0.15
BALL_START_RADIUS = 2.6  # the ball spirals in from this (w, b) distance
BALL_TURNS = 0.75
BALL_RADIUS_SHRINK = 0.8  # fraction of the start distance covered by the end
NORMAL_STEP = 1e-3  # finite-difference step (in w, b) for the surface normal
CAMERA_PHI = 65 * DEGREES
CAMERA_THETA_START = -60 * DEGREES
ORBIT_ANGLE = 60 * DEGREES  # total orbit over the benchmark
CAMERA_ZOOM = 1.15
FRAME_RATE = 30

# --- defaults -----------------------------------------------------------------------
DEFAULT_FRAMES = 60
DEFAULT_FACES = 64
DEFAULT_SIZE = (1920, 1080)
DEFAULT_REPEAT = 2


def loss(w: np.ndarray | float, b: np.ndarray | float) -> np.ndarray | float:
    """A smooth bowl with a bump: the benchmark's stand-in loss surface."""
    bump_w, bump_b = BUMP_CENTER
    bump = BUMP_HEIGHT * np.exp(-((w - bump_w) ** 2 + (b - bump_b) ** 2) / BUMP_WIDTH2)
    return BOWL_W * w**2 + BOWL_B * b**2 + bump


def make_axes() -> ThreeDAxes:
    return ThreeDAxes(
        x_range=[*DOMAIN],
        y_range=[*DOMAIN],
        z_range=[*Z_RANGE],
        x_length=AXES_LENGTH,
        y_length=AXES_LENGTH,
        z_length=Z_LENGTH,
    ).shift(AXES_DROP * IN)


def c2p_grid(axes: ThreeDAxes, w: np.ndarray, b: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Vectorized ``axes.c2p`` for arrays of equal shape; returns ``shape + (3,)``."""
    flat = axes.coords_to_point(np.stack([w.ravel(), b.ravel(), z.ravel()], axis=1))
    return np.asarray(flat).reshape(*w.shape, 3)


def ball_center(axes: ThreeDAxes, t: float) -> np.ndarray:
    """Ball centre at time ``t`` in [0, 1]: on the spiral, lifted by its radius along the normal."""
    angle = 2 * np.pi * BALL_TURNS * t
    radius = BALL_START_RADIUS * (1 - BALL_RADIUS_SHRINK * t)
    w, b = radius * np.cos(angle), radius * np.sin(angle)
    eps = NORMAL_STEP
    p = np.asarray(axes.c2p(w, b, loss(w, b)))
    dw = np.asarray(axes.c2p(w + eps, b, loss(w + eps, b))) - p
    db = np.asarray(axes.c2p(w, b + eps, loss(w, b + eps))) - p
    normal = np.cross(dw, db)
    return p + BALL_RADIUS * normal / np.linalg.norm(normal)


def checkerboard(faces: int) -> np.ndarray:
    """Stock Surface's default BLUE_D/BLUE_E checkerboard as per-face RGB."""
    colors = np.array([BLUE_D.to_rgb(), BLUE_E.to_rgb()])
    i, j = np.meshgrid(np.arange(faces), np.arange(faces))
    return colors[(i + j) % 2]


class _ValleyBenchmark:
    """Mixin: builds the valley, then times one orbiting play() of ``frames`` frames."""

    faces = DEFAULT_FACES
    frames = DEFAULT_FRAMES
    result: dict[str, float]

    def build(self, axes: ThreeDAxes) -> tuple[Mobject, Mobject]:
        raise NotImplementedError

    def construct(self) -> None:
        axes = make_axes()
        surface, ball = self.build(axes)
        self.set_camera_orientation(phi=CAMERA_PHI, theta=CAMERA_THETA_START, zoom=CAMERA_ZOOM)
        tracker = ValueTracker(0.0)
        ball.add_updater(lambda m: m.move_to(ball_center(axes, tracker.get_value())))
        self.add(surface, ball)

        renderer = self.renderer
        render = renderer.render
        stats = {"frames": 0, "render_s": 0.0}

        def timed_render(*args: object, **kwargs: object) -> None:
            start = time.perf_counter()
            render(*args, **kwargs)
            stats["render_s"] += time.perf_counter() - start
            stats["frames"] += 1

        renderer.render = timed_render
        start = time.perf_counter()
        self.move_camera(
            theta=CAMERA_THETA_START + ORBIT_ANGLE,
            added_anims=[tracker.animate.set_value(1.0)],
            run_time=self.frames / FRAME_RATE,
            rate_func=linear,
        )
        wall = time.perf_counter() - start
        renderer.render = render
        self.result = {
            "frames": stats["frames"],
            "s_per_frame": wall / max(stats["frames"], 1),
            "render_s_per_frame": stats["render_s"] / max(stats["frames"], 1),
        }


class StockValley(_ValleyBenchmark, ThreeDScene):
    """Stock manim: ``Surface`` (checkerboard, default stroke) and a default ``Sphere``."""

    def build(self, axes: ThreeDAxes) -> tuple[Mobject, Mobject]:
        """Stock surface and sphere."""
        surface = Surface(
            lambda u, v: axes.c2p(u, v, loss(u, v)),
            u_range=DOMAIN,
            v_range=DOMAIN,
            resolution=self.faces,
        )
        ball = Sphere(center=ball_center(axes, 0.0), radius=BALL_RADIUS).set_color(RED_D)
        return surface, ball


class FastValley(_ValleyBenchmark, FastThreeDScene):
    """gdviz: ``FastSurface`` with the same checkerboard and a ``ShadedBall``."""

    def build(self, axes: ThreeDAxes) -> tuple[Mobject, Mobject]:
        """FastSurface over the same grid and a ShadedBall."""
        values = np.linspace(*DOMAIN, self.faces + 1)
        w, b = np.meshgrid(values, values)
        grid = c2p_grid(axes, w, b, loss(w, b))
        surface = FastSurface(grid, face_colors=checkerboard(self.faces))
        ball = ShadedBall(center=ball_center(axes, 0.0), radius=BALL_RADIUS, color=RED_D)
        return surface, ball


def render_scene(
    scene_class: type[_ValleyBenchmark], faces: int, frames: int, size: tuple[int, int]
) -> dict[str, float]:
    """Render ``scene_class`` through manim without writing a movie; return its timings."""
    width, height = size
    with (
        tempfile.TemporaryDirectory() as media_dir,
        tempconfig(
            {
                "pixel_width": width,
                "pixel_height": height,
                "frame_rate": FRAME_RATE,
                "dry_run": True,
                "disable_caching": True,
                "media_dir": media_dir,
                "progress_bar": "none",
                "verbosity": "WARNING",
            }
        ),
    ):
        scene = scene_class()
        scene.faces, scene.frames = faces, frames
        scene.render()
        return scene.result


def render_one_frame(
    scene_class: type[_ValleyBenchmark], faces: int, size: tuple[int, int]
) -> np.ndarray:
    """The benchmark's first frame (camera and ball at the start), as an RGB array."""
    width, height = size
    with tempconfig({"pixel_width": width, "pixel_height": height, "write_to_movie": False,
                     "disable_caching": True, "verbosity": "WARNING"}):
        scene = scene_class()
        scene.faces = faces
        axes = make_axes()
        surface, ball = scene.build(axes)
        scene.set_camera_orientation(phi=CAMERA_PHI, theta=CAMERA_THETA_START, zoom=CAMERA_ZOOM)
        scene.add(surface, ball)
        scene.renderer.update_frame(scene, ignore_skipping=True)
        return np.array(scene.renderer.get_frame())[:, :, :3]


def write_still(path: Path, faces: int, size: tuple[int, int]) -> None:
    """Stock and fast renders of the same frame side by side (stock left), labelled."""
    from PIL import Image, ImageDraw

    frames = [render_one_frame(cls, faces, size) for cls in (StockValley, FastValley)]
    labels = (f"stock Surface + Sphere ({faces}x{faces} faces)",
              f"FastSurface + ShadedBall ({faces}x{faces} faces)")
    width, height = size
    out = Image.new("RGB", (2 * width, height))
    for k, (frame, label) in enumerate(zip(frames, labels, strict=True)):
        image = Image.fromarray(frame)
        ImageDraw.Draw(image).text((12, 10), label, fill=(255, 255, 255))
        out.paste(image, (k * width, 0))
    path.parent.mkdir(parents=True, exist_ok=True)
    out.save(path)
    diff = np.abs(frames[0].astype(int) - frames[1].astype(int)).max(axis=2)
    print(f"wrote {path}: pixels differing by more than 24 levels: {(diff > 24).mean():.2%}")


def render_floor(faces: int, frames: int, size: tuple[int, int]) -> dict[str, float]:
    """Plain pycairo: per frame, rotate and project the grid, sort quads by depth, fill each."""
    width, height = size
    axes = make_axes()
    values = np.linspace(*DOMAIN, faces + 1)
    w, b = np.meshgrid(values, values)
    grid = c2p_grid(axes, w, b, loss(w, b)).reshape(-1, 3)
    idx = np.arange((faces + 1) ** 2).reshape(faces + 1, faces + 1)
    corners = np.stack([idx[:-1, :-1], idx[:-1, 1:], idx[1:, 1:], idx[1:, :-1]], axis=-1).reshape(
        -1, 4
    )
    colors = checkerboard(faces).reshape(-1, 3)
    pixel_array = np.zeros((height, width, 4), dtype=np.uint8)
    surface = cairo.ImageSurface.create_for_data(
        pixel_array.data, cairo.FORMAT_ARGB32, width, height
    )
    ctx = cairo.Context(surface)
    px_per_unit = width / (AXES_LENGTH * 2)
    start = time.perf_counter()
    for k in range(frames):
        theta = CAMERA_THETA_START + ORBIT_ANGLE * k / max(frames - 1, 1)
        ct, st, cp, sp = np.cos(theta), np.sin(theta), np.cos(CAMERA_PHI), np.sin(CAMERA_PHI)
        # Orbit about z, then tilt by phi: camera looks along -z of the result.
        rot = np.array([[-st, ct, 0.0], [-cp * ct, -cp * st, sp], [sp * ct, sp * st, cp]])
        cam = grid @ rot.T
        xy = cam[:, :2] * [px_per_unit, -px_per_unit] + [width / 2, height / 2]
        order = np.argsort(cam[corners, 2].mean(axis=1))
        quads = xy[corners[order]].reshape(-1, 8).tolist()
        fills = colors[order].tolist()
        ctx.set_source_rgb(0, 0, 0)
        ctx.paint()
        for (x0, y0, x1, y1, x2, y2, x3, y3), (r, g, b_) in zip(quads, fills, strict=True):
            ctx.move_to(x0, y0)
            ctx.line_to(x1, y1)
            ctx.line_to(x2, y2)
            ctx.line_to(x3, y3)
            ctx.close_path()
            ctx.set_source_rgb(b_, g, r)
            ctx.fill()
    return {"frames": frames, "s_per_frame": (time.perf_counter() - start) / frames}


def best_of(repeat: int, run: Callable[[], dict[str, float]]) -> dict[str, float]:
    """Run ``repeat`` times and keep the fastest (the least disturbed by other load)."""
    return min((run() for _ in range(repeat)), key=lambda r: r["s_per_frame"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--frames", type=int, default=DEFAULT_FRAMES, help="frames per render")
    parser.add_argument(
        "--faces", type=int, default=DEFAULT_FACES, help="faces per side of the mesh"
    )
    parser.add_argument("--width", type=int, default=DEFAULT_SIZE[0])
    parser.add_argument("--height", type=int, default=DEFAULT_SIZE[1])
    parser.add_argument(
        "--repeat", type=int, default=DEFAULT_REPEAT, help="runs of fast and floor (best kept)"
    )
    parser.add_argument("--skip-stock", action="store_true", help="time only fast and floor")
    parser.add_argument("--still", type=Path, default=None,
                        help="write one stock and one fast frame side by side here, no timing")
    args = parser.parse_args(argv)
    size = (args.width, args.height)
    if args.still is not None:
        write_still(args.still, args.faces, size)
        return 0
    print(
        f"{args.faces}x{args.faces} faces, {args.frames} frames at {size[0]}x{size[1]}, "
        "camera orbiting, ball moving"
    )

    floor = best_of(args.repeat, lambda: render_floor(args.faces, args.frames, size))
    print(f"floor (pycairo, {args.faces**2} sorted quads): {floor['s_per_frame']:.4f} s/frame")
    fast = best_of(args.repeat, lambda: render_scene(FastValley, args.faces, args.frames, size))
    print(
        f"fast  (FastSurface + ShadedBall):  {fast['s_per_frame']:.4f} s/frame "
        f"({fast['render_s_per_frame']:.4f} in renderer.render, {fast['frames']} frames)"
    )
    print(f"ratio fast/floor:  {fast['s_per_frame'] / floor['s_per_frame']:.2f}")
    if not args.skip_stock:
        stock = render_scene(StockValley, args.faces, args.frames, size)
        print(
            f"stock (Surface + Sphere):          {stock['s_per_frame']:.4f} s/frame "
            f"({stock['render_s_per_frame']:.4f} in renderer.render, {stock['frames']} frames)"
        )
        print(f"ratio stock/fast:  {stock['s_per_frame'] / fast['s_per_frame']:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
