"""Plan a scene in a process of its own: ``python -m gdviz.plan SCENE --cfg F --json OUT``.

A dry run (`gdviz.parallel.plan_scene`) in the environment and frame of the job: the scene
class, each animation's duration, whether it is a frozen hold, what it draws (the parts of a
parallel render are cut by that), its ``KEY_MOMENTS`` and the first line of its docstring. It
runs in a subprocess because the scene reads the job's ``GDVIZ_*`` variables and manim's global
config, which a batch worker shares between jobs.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    """Write the plan of a scene file as JSON."""
    parser = argparse.ArgumentParser(prog="python -m gdviz.plan")
    parser.add_argument("scene", type=Path)
    parser.add_argument("--cfg", type=Path, help="manim config file of the job (frame, background)")
    parser.add_argument("--size", help="W,H in pixels")
    parser.add_argument("--media-dir", type=Path,
                        help="manim's media folder (Text and TeX files land there)")
    parser.add_argument("--json", type=Path, required=True)
    args = parser.parse_args(argv)

    from manim import config

    from gdviz.parallel import plan_scene

    if args.cfg:
        config.digest_file(args.cfg)
    if args.media_dir:
        # Not ./media: jobs planned at once would race on the same Text/TeX files there.
        config.media_dir = str(args.media_dir)
    if args.size:
        config.pixel_width, config.pixel_height = (int(value) for value in args.size.split(","))
    plan = plan_scene(args.scene)
    cls = getattr(sys.modules.get(args.scene.resolve().stem), plan.scene_name, None)
    doc = (cls.__doc__ or "").strip().splitlines()[0] if cls is not None and cls.__doc__ else ""
    args.json.write_text(json.dumps({**plan.to_json(), "doc": doc}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
