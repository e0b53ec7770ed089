"""Mutation check of the test suite: break the scene code on purpose and see which tests notice.

Each mutation edits one line of the scene code in a temporary copy of the repository (the
working tree is never touched), runs the tests that should notice there (``PYTHONPATH`` = that
copy), and reports which of them fail. Every mutation must be caught by at least one test; the
script exits 1 when one is not.

    python tests/support/mutations.py                  # every mutation, the suite as it is
    python tests/support/mutations.py --only ball      # mutations whose name contains "ball"
    python tests/support/mutations.py --tests-from REV # the same, with tests/ taken from git REV

Not collected by pytest (it is not a test_*.py file); it runs the slow render tests, some
minutes per mutation.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

STILLS = ("tests/test_scene_stills.py",)
VIDEO = ("tests/test_scene_content.py::test_descent_video_shows_ball_and_cross_after_the_roll",
         "tests/test_scene_content.py::"
         "test_descent_video_shows_each_right_angle_where_the_step_starts")
HUD = ("tests/test_scene_geometry.py::test_hud_follows_the_ball",)
MAPS = ("tests/test_scene_content.py::test_lecture_video_shows_balls_and_crosses",)
# The render tests as they were (--tests-from): they render the same scenes without looking.
OLD_RENDERS = ("tests/test_scene_render.py::test_render_tiny",
               "tests/test_lecture_b.py::test_render_tiny")
MAIN_TESTS = STILLS + VIDEO
MAP_TESTS = MAPS


@dataclass(frozen=True)
class Mutation:
    """Replace `old` (which must occur exactly once) with `new` in `path`."""

    name: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]


MUTATIONS = [
    Mutation("ball removed (3D)", "scenes/kit/story3d.py",
             "self.ball.set_fill(opacity=1.0 if inside else 0.0)",
             "self.ball.set_fill(opacity=0.0)", MAIN_TESTS),
    Mutation("ball moved by one radius (3D)", "scenes/kit/story3d.py",
             "self.ball.move_to(study.ball_centers[k])",
             "self.ball.move_to(study.ball_centers[k]"
             " + self.settings.sizes.ball_radius * self.camera.get_rotation_matrix()[0])",
             MAIN_TESTS),
    Mutation("✕ removed (3D)", "scenes/kit/mobjects.py",
             "stroke = VMobject(stroke_color=color, stroke_width=width, shade_in_3d=True)",
             "stroke = VMobject(stroke_color=color, stroke_width=0, shade_in_3d=True)",
             MAIN_TESTS),
    Mutation("✕ moved by one ball radius (3D)", "scenes/kit/descent_study.py",
             "w0, b0 = self.scenario.start",
             "w0, b0 = self.scenario.start; w0 += d * s.ball_radius / s.cross_half_width",
             MAIN_TESTS),
    Mutation("trail removed (3D)", "scenes/kit/story3d.py",
             "settings.sizes.trail_width, settings.sizes.on_surface_depth_offset)",
             "0.0, settings.sizes.on_surface_depth_offset)", MAIN_TESTS),
    Mutation("right-angle mark removed", "scenes/kit/mobjects.py",
             "stroke_width=line_width * 0.75)", "stroke_width=0)", MAIN_TESTS),
    Mutation("HUD step number shifted", "scenes/kit/story3d.py",
             "self.readout.set_values(i, *study.samples[k])",
             "self.readout.set_values(i + 1, *study.samples[k])", STILLS + HUD),
    Mutation("ball removed (maps)", "scenes/kit/map_drawing.py",
             "    return ball\n", "    return ball.set_opacity(0)\n", MAP_TESTS),
    Mutation("ball moved by one radius (curvature map)", "scenes/curvature.py",
             "self.ball.move_to(pos)",
             "self.ball.move_to(pos + self.look.ball_radius * np.array([1.0, 0.0, 0.0]))",
             MAP_TESTS),
    Mutation("✕ removed (maps)", "scenes/kit/map_drawing.py",
             "color, width=look.cross_width)", "color, width=0)", MAP_TESTS),
]


def copy_repo(dest: Path, tests_from: str | None) -> None:
    """The working tree (as it is, uncommitted edits included) without caches and media."""
    shutil.copytree(ROOT, dest, ignore=shutil.ignore_patterns(
        ".git", ".venv", "__pycache__", ".pytest_cache", ".hypothesis", "media", "_output",
        ".ruff_cache"))
    if tests_from:
        shutil.rmtree(dest / "tests")
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", tests_from, "tests"],
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)


def apply(root: Path, m: Mutation) -> None:
    path = root / m.path
    text = path.read_text()
    count = text.count(m.old)
    if count != 1:
        raise SystemExit(f"mutation {m.name!r}: {m.old!r} occurs {count} times in {m.path}")
    path.write_text(text.replace(m.old, m.new))


def tests_for(m: Mutation, old: bool) -> tuple[str, ...]:
    """The tests to run for `m` (with the old render tests when the suite is an old one)."""
    if not old:
        return m.tests
    renders = OLD_RENDERS[:1] if m.tests is not MAP_TESTS else OLD_RENDERS[1:]
    return m.tests + renders


def run_tests(root: Path, tests: tuple[str, ...]) -> dict[str, str]:
    """Test id -> "passed", "failed" or "skipped", running `tests` in `root`."""
    report = root / "junit.xml"
    present = [t for t in tests if (root / t.split("::")[0]).exists()]
    env = {k: v for k, v in os.environ.items() if not k.startswith("GDVIZ_")}
    env["PYTHONPATH"] = str(root)
    subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                    f"--junitxml={report}", *present], cwd=root, env=env,
                   capture_output=True, text=True, check=False)
    if not report.exists():
        return {}
    out = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        name = f"{case.get('classname', '').rsplit('.', 1)[-1]}::{case.get('name')}"
        if case.find("failure") is not None or case.find("error") is not None:
            out[name] = "failed"
        elif case.find("skipped") is not None:
            out[name] = "skipped"
        else:
            out[name] = "passed"
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="run the mutations whose name contains this")
    parser.add_argument("--tests-from", default=None, help="take tests/ from this git revision")
    args = parser.parse_args(argv)
    chosen = [m for m in MUTATIONS if args.only in m.name]
    missed = []
    with tempfile.TemporaryDirectory(prefix="gdviz-mutations-") as tmp:
        base = Path(tmp) / "base"
        copy_repo(base, args.tests_from)
        # A test that fails without a mutation catches nothing: run each test set once first.
        baseline = {}
        old = args.tests_from is not None
        for tests in dict.fromkeys(tests_for(m, old) for m in chosen):
            baseline[tests] = run_tests(base, tests)
            broken = sorted(t for t, r in baseline[tests].items() if r != "passed")
            print(f"baseline: {len(baseline[tests])} tests, not passing: {broken or 'none'}")
        for m in chosen:
            work = Path(tmp) / "work"
            shutil.copytree(base, work)
            apply(work, m)
            results = run_tests(work, tests_for(m, old))
            caught = sorted(t for t, r in results.items()
                            if r == "failed" and baseline[tests_for(m, old)].get(t) == "passed")
            status = "CAUGHT" if caught else "MISSED"
            print(f"{status:6}  {m.name}  ({len(caught)} of {len(results)} tests fail)")
            for t in caught:
                print(f"          {t}")
            sys.stdout.flush()
            if not caught:
                missed.append(m.name)
            shutil.rmtree(work)
    if missed:
        print(f"not caught: {', '.join(missed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
