"""Key stills compared with stored control images (like manim's ``frames_comparison``).

Each still is compared twice: the whole frame with a loose limit (anti-aliasing moves a few edge
pixels), and small patches around the objects that matter (the ball, the ✕, the trail, the
right-angle marks) with a tight one, since a ball is a few dozen pixels of 57 600.

Run ``pytest tests/test_scene_stills.py --regenerate-control`` after an intended visual change:
it writes the new PNGs to tests/control_data/ and fails with "regenerated: review the diff", so
that nothing passes until you have looked at them and committed them. A missing control is a
failure too. ``--show-diff`` writes control | render | difference images to tests/_output/ when
a comparison fails.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import CONTROL_DIR, OUTPUT_DIR
from PIL import Image
from scene_helpers import to_pixels
from support.stills import pose_map, pose_roll, render_still

from scenes.contour import ContourMap
from scenes.kit.descent_study import DescentStudy, RollTimeline
from scenes.kit.env import read_environment
from scenes.valley import Valley

SIZE = (320, 180)
# Anti-aliasing and float noise move a few edge pixels; a real change moves many.
PIXEL_TOLERANCE = 24  # per channel, 0..255
MAX_CHANGED_SHARE = 0.004  # of the whole frame
# In a patch around an object a removed or moved object changes most pixels; noise a few.
MAX_PATCH_SHARE = 0.05
PATCH_HALF = 4  # pixels around each object point (the ball is about 2 px in radius here)


def roll_tau() -> float:
    tl = RollTimeline.build(DescentStudy(read_environment()))
    return float(tl.starts[2]) + 0.3 * (tl.starts[3] - tl.starts[2])


def roll_objects(scene) -> dict[str, np.ndarray]:
    """Scene points of the ball, the ✕ and the drawn trail at the still's moment (from gdmath's
    samples), and the mobject to project them for."""
    st, tl = scene.stage, scene.timeline
    k = st.sample_index(tl.progress(roll_tau()))
    w0, b0 = st.scenario.start
    trail = st.trail_points[1:k:max(k // 4, 1)]
    return {"ball": st.ball_centers[k][None, :],
            "cross": np.array([scene.axes.c2p(w0, b0, st.problem.loss(w0, b0))]),
            "trail": trail}


def map_objects(scene) -> dict[str, np.ndarray]:
    """Scene points of the right-angle marks' corners region: each marked step's start and the
    middle of its first side."""
    st, ax, z = scene.stage, scene.axes, scene.map_z()
    side = st.settings.sizes.right_angle_side
    pts = []
    for k in st.right_angle_steps:
        p0 = np.asarray(ax.c2p(st.traj.w[k], st.traj.b[k], z), dtype=float)
        p1 = np.asarray(ax.c2p(st.traj.w[k + 1], st.traj.b[k + 1], z), dtype=float)
        d = (p1 - p0) / np.linalg.norm(p1 - p0)
        pts.append(p0 + side * (d + np.array([-d[1], d[0], 0.0])) / 2)
    return {"right_angles": np.array(pts)}


STILLS = {
    "valley_ball": (Valley, lambda s: pose_roll(s, roll_tau()), roll_objects),
    "map_right_angles": (Valley, pose_map, map_objects),
    "contour_map_2d": (ContourMap, pose_map, map_objects),
}


def patch_boxes(scene, objects: dict[str, np.ndarray]) -> dict[str, list[tuple[int, int]]]:
    """Pixel (column, row) of every object point, through the scene's camera."""
    mob = getattr(scene, "surface", scene.axes)
    return {name: [tuple(int(v) for v in np.floor(p)) for p in to_pixels(scene.camera, mob, pts)]
            for name, pts in objects.items()}


def patch_failures(diff: np.ndarray, boxes: dict[str, list[tuple[int, int]]]) -> list[str]:
    """The objects whose patch changed by more than `MAX_PATCH_SHARE`."""
    out = []
    h, w = diff.shape
    for name, points in boxes.items():
        for col, row in points:
            assert 0 <= col < w and 0 <= row < h, f"{name} at {(col, row)} is off the still"
            patch = diff[max(row - PATCH_HALF, 0):row + PATCH_HALF + 1,
                         max(col - PATCH_HALF, 0):col + PATCH_HALF + 1]
            share = float((patch > PIXEL_TOLERANCE).mean())
            if share > MAX_PATCH_SHARE:
                out.append(f"{name} at pixel {(col, row)}: {share:.0%} of its patch differs")
    return out


def save_diff(name: str, control: np.ndarray, frame: np.ndarray, diff: np.ndarray) -> None:
    OUTPUT_DIR.mkdir(exist_ok=True)
    vis = np.concatenate([control, frame, np.repeat(
        np.clip(diff * 4, 0, 255).astype(np.uint8)[..., None], 3, axis=2)], axis=1)
    Image.fromarray(vis).save(OUTPUT_DIR / f"{name}_diff.png")


def compare_with_control(name: str, frame: np.ndarray, boxes, regenerate: bool,
                         show_diff: bool) -> None:
    """Fail unless `frame` matches the control still `name` (whole frame and patches)."""
    path = CONTROL_DIR / f"{name}.png"
    if regenerate:
        CONTROL_DIR.mkdir(exist_ok=True)
        old = np.asarray(Image.open(path).convert("RGB")) if path.exists() else None
        Image.fromarray(frame).save(path)
        if old is not None and old.shape == frame.shape:
            diff = np.abs(old.astype(int) - frame.astype(int)).max(axis=2)
            save_diff(name, old, frame, diff)
            changed = f"{float((diff > PIXEL_TOLERANCE).mean()):.2%} of pixels changed"
        else:
            changed = "no earlier control"
        pytest.fail(f"regenerated: review the diff ({path.name}: {changed}; "
                    f"old | new | diff in {OUTPUT_DIR.name}/{name}_diff.png), then commit it")
    if not path.exists():
        pytest.fail(f"no control still {path}: run pytest {__file__} --regenerate-control, "
                    "look at it, and commit it")
    control = np.asarray(Image.open(path).convert("RGB"))
    assert control.shape == frame.shape
    diff = np.abs(control.astype(int) - frame.astype(int)).max(axis=2)
    changed = float((diff > PIXEL_TOLERANCE).mean())
    problems = patch_failures(diff, boxes)
    if changed > MAX_CHANGED_SHARE:
        problems.append(f"{changed:.2%} of all pixels differ (limit {MAX_CHANGED_SHARE:.1%})")
    if problems and show_diff:
        save_diff(name, control, frame, diff)
    assert not problems, (f"{name} differs from {path.name}: " + "; ".join(problems)
                          + " (--show-diff to see, --regenerate-control to accept)")


@pytest.mark.usefixtures("default_env")
@pytest.mark.parametrize("name", list(STILLS))
def test_still_matches_control(name, regenerate_control, show_diff) -> None:
    scene_cls, pose, objects = STILLS[name]
    frame, scene = render_still(scene_cls, pose, *SIZE)
    compare_with_control(name, frame, patch_boxes(scene, objects(scene)), regenerate_control,
                         show_diff)
