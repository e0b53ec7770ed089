"""Helpers of the publishing tests (test_publish.py, test_publish_real.py): sizes and pixels."""

from __future__ import annotations

import numpy as np

TINY = {"short_side": 144, "fps": 5}
SIZES = {"16:9": (256, 144), "1:1": (144, 144), "9:16": (144, 256)}


def hex_rgb(color: str) -> np.ndarray:
    return np.array([int(color[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)


def luminance(rgb: np.ndarray) -> np.ndarray:
    return (rgb[..., :3].astype(float) @ np.array([0.2126, 0.7152, 0.0722])) / 255


def drawn(rgb: np.ndarray, background: str) -> np.ndarray:
    """Pixels that differ visibly from `background`: the drawing."""
    return np.abs(np.asarray(rgb, dtype=float)[..., :3] - hex_rgb(background)).max(axis=2) > 40


def assert_clear_of_edges(content: np.ndarray, what: str, px: int = 3) -> None:
    """Nothing is drawn in the frame's `px`-pixel border (nothing clipped)."""
    band = np.ones_like(content)
    band[px:-px, px:-px] = False
    assert not content[band].any(), f"{what}: something touches the frame's edge"


def assert_mostly_light(frames: list[np.ndarray], what: str, mean: float = 0.85,
                        share: float = 0.9) -> None:
    """Every frame is a light page: bright on average and mostly bright pixels."""
    for k, frame in enumerate(frames):
        lum = luminance(frame)
        assert lum.mean() > mean, f"{what} frame {k}: mean luminance {lum.mean():.2f}"
        assert (lum > 0.75).mean() > share, f"{what} frame {k}: {(lum > 0.75).mean():.0%} light"
