"""Key stills compared with stored control images (like manim's ``frames_comparison``).

Run ``pytest tests/test_scene_stills.py --regenerate-control`` after an intended visual change
and look at the new PNGs in tests/control_data/ before committing them; ``--show-diff`` writes
control | render | difference images to tests/_output/ when a comparison fails.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import CONTROL_DIR, OUTPUT_DIR
from PIL import Image
from support.stills import pose_map, pose_roll, render_still

from scenes.contour import ContourMap
from scenes.kit.descent_study import DescentStudy, RollTimeline
from scenes.kit.env import read_environment
from scenes.valley import Valley

SIZE = (320, 180)
# Anti-aliasing and float noise move a few edge pixels; a real change moves many.
PIXEL_TOLERANCE = 24  # per channel, 0..255
MAX_CHANGED_SHARE = 0.004


def roll_tau() -> float:
    tl = RollTimeline.build(DescentStudy(read_environment()))
    return float(tl.starts[2]) + 0.3 * (tl.starts[3] - tl.starts[2])


STILLS = {
    "valley_ball": (Valley, lambda s: pose_roll(s, roll_tau())),
    "map_right_angles": (Valley, pose_map),
    "contour_map_2d": (ContourMap, pose_map),
}


@pytest.mark.usefixtures("default_env")
@pytest.mark.parametrize("name", list(STILLS))
def test_still_matches_control(name, regenerate_control, show_diff) -> None:
    scene_cls, pose = STILLS[name]
    frame, _ = render_still(scene_cls, pose, *SIZE)
    path = CONTROL_DIR / f"{name}.png"
    if regenerate_control or not path.exists():
        CONTROL_DIR.mkdir(exist_ok=True)
        Image.fromarray(frame).save(path)
        if not regenerate_control:
            pytest.skip(f"no control still yet: wrote {path}")
        return
    control = np.asarray(Image.open(path).convert("RGB"))
    assert control.shape == frame.shape
    diff = np.abs(control.astype(int) - frame.astype(int)).max(axis=2)
    changed = float((diff > PIXEL_TOLERANCE).mean())
    if changed > MAX_CHANGED_SHARE and show_diff:
        OUTPUT_DIR.mkdir(exist_ok=True)
        vis = np.concatenate([control, frame, np.repeat(
            np.clip(diff * 4, 0, 255).astype(np.uint8)[..., None], 3, axis=2)], axis=1)
        Image.fromarray(vis).save(OUTPUT_DIR / f"{name}_diff.png")
    assert changed <= MAX_CHANGED_SHARE, (
        f"{name}: {changed:.2%} of pixels differ from {path.name} "
        "(--show-diff to see, --regenerate-control to accept)")
