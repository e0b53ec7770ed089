"""Compare two videos frame by frame: ``python tests/support/compare_videos.py A.mp4 B.mp4``.

Decodes both with PyAV (rgb24) and prints the frame counts, the largest and the mean absolute
difference per frame, and how many frames differ at all. Exit code 0 when the videos have the
same frames, 1 when they differ, 2 when a file cannot be read.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import zip_longest
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class VideoDifference:
    """Frame-by-frame difference of two videos (pixel values 0-255)."""

    frames_a: int
    frames_b: int
    differing: int
    max_abs: int
    worst_mean_abs: float
    worst_frame: int

    @property
    def identical(self) -> bool:
        """Same frame count and every frame equal."""
        return self.frames_a == self.frames_b and self.differing == 0


def frames_of(path: Path) -> Iterator[np.ndarray]:
    """The decoded RGB frames of `path`, one at a time."""
    import av

    with av.open(str(path)) as container:
        for frame in container.decode(container.streams.video[0]):
            yield frame.to_ndarray(format="rgb24")


def compare_videos(path_a: Path, path_b: Path) -> VideoDifference:
    """Decode both videos and measure how their frames differ."""
    count_a = count_b = differing = max_abs = worst_frame = 0
    worst_mean = 0.0
    for index, (frame_a, frame_b) in enumerate(zip_longest(frames_of(path_a), frames_of(path_b))):
        count_a += frame_a is not None
        count_b += frame_b is not None
        if frame_a is None or frame_b is None:
            continue
        if frame_a.shape != frame_b.shape:
            differing += 1
            continue
        diff = np.abs(frame_a.astype(np.int16) - frame_b.astype(np.int16))
        peak = int(diff.max())
        if peak:
            differing += 1
            max_abs = max(max_abs, peak)
            mean = float(diff.mean())
            if mean > worst_mean:
                worst_mean, worst_frame = mean, index
    return VideoDifference(count_a, count_b, differing, max_abs, worst_mean, worst_frame)


def main(argv: list[str] | None = None) -> int:
    """Print the comparison of two videos."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("video_a", type=Path)
    parser.add_argument("video_b", type=Path)
    args = parser.parse_args(argv)
    for path in (args.video_a, args.video_b):
        if not path.is_file():
            sys.stderr.write(f"compare_videos: {path} does not exist\n")
            return 2
    try:
        result = compare_videos(args.video_a, args.video_b)
    except Exception as exc:  # any decoder failure is a bad input here
        sys.stderr.write(f"compare_videos: cannot decode: {exc}\n")
        return 2
    print(f"frames: {result.frames_a} vs {result.frames_b}")
    print(f"differing frames: {result.differing}")
    print(f"max abs difference: {result.max_abs}")
    print(f"worst mean abs difference: {result.worst_mean_abs:.4f} (frame {result.worst_frame})")
    return 0 if result.identical else 1


if __name__ == "__main__":
    sys.exit(main())
