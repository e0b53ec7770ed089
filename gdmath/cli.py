"""``python -m gdmath``: check a config, list presets, export a trajectory or a surface."""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from gdmath.config import Config, ConfigError, load_config
from gdmath.presets import DEFAULT_PRESET, PRESETS, get_preset
from gdmath.report import check_lines, check_report

#: ``export surface --resolution`` above this many grid nodes per axis is refused.
MAX_RESOLUTION = 2001


def _config(args: argparse.Namespace) -> Config:
    if args.config:
        return load_config(args.config)
    name = args.preset or DEFAULT_PRESET
    return Config(scenario=get_preset(name), source=f"preset {name}")


def _add_source(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--preset",
                       help=f"a preset name ({', '.join(PRESETS)}); default {DEFAULT_PRESET}")
    group.add_argument("--config", type=Path, help="a TOML config file")


def cmd_presets(_args: argparse.Namespace) -> int:
    """List the presets."""
    for name, scenario in PRESETS.items():
        mark = " (default)" if name == DEFAULT_PRESET else ""
        print(f"{name:12s} {scenario.title}{mark}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Validate a config and print the diagnosis: minimum, critical η, outcome, advice."""
    cfg = _config(args)
    if args.json:
        print(json.dumps(check_report(cfg), indent=1, allow_nan=False, ensure_ascii=False))
    else:
        print("\n".join(check_lines(cfg)))
    return 0


def _check_output(out: Path | None) -> None:
    """Refuse an output path that cannot be written before anything is computed."""
    if out is None:
        return
    if out.is_dir():
        raise ValueError(f"output {str(out)!r} is a folder: give a file name inside it")
    parent = out.parent
    for folder in (parent, *parent.parents):
        if folder.exists() and not folder.is_dir():
            raise ValueError(f"cannot write {str(out)!r}: {str(folder)!r} is a file, not a folder")
    if not parent.is_dir():
        raise ValueError(f"cannot write {str(out)!r}: folder {str(parent)!r} does not exist")


def _write(rows: list[dict[str, float]], fmt: str, out: Path | None, meta: dict) -> None:
    if fmt == "json":
        text = json.dumps({**meta, "rows": rows}, indent=1) + "\n"
    else:
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        text = buf.getvalue()
    if out is None:
        sys.stdout.write(text)
        return
    # A temporary file renamed into place: an interrupted run leaves no partial output.
    descriptor, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")
    try:
        umask = os.umask(0)
        os.umask(umask)
        # mkstemp makes the file private (0600); the output gets the usual permissions.
        os.chmod(tmp, 0o666 & ~umask)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(text)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    print(f"wrote {len(rows)} rows to {out}", file=sys.stderr)


def cmd_export(args: argparse.Namespace) -> int:
    """Write the trajectory or the surface as CSV or JSON."""
    _check_output(args.output)
    if args.what == "surface" and args.resolution > MAX_RESOLUTION:
        raise ValueError(f"--resolution {args.resolution} is above the cap of {MAX_RESOLUTION} "
                         "grid nodes per axis")
    scenario = _config(args).scenario
    meta = {"source": str(args.config or args.preset or DEFAULT_PRESET), "what": args.what}
    if args.what == "trajectory":
        trajectory = scenario.trajectory
        rows = [
            {"step": i, "w": float(trajectory.w[i]), "b": float(trajectory.b[i]),
             "loss": float(trajectory.loss[i]), "grad_w": float(trajectory.grad_w[i]),
             "grad_b": float(trajectory.grad_b[i])}
            for i in range(trajectory.w.size)
        ]
        meta |= {"learning_rate": trajectory.learning_rate, "converged": trajectory.converged,
                 "diverged": trajectory.diverged, "message": trajectory.message}
    else:
        surf = scenario.surface(args.resolution)
        rows = [
            {"w": float(w), "b": float(b), "loss": float(surf.L[j, i])}
            for j, b in enumerate(surf.b) for i, w in enumerate(surf.w)
        ]
        meta |= {"resolution": args.resolution}
    _write(rows, args.format, args.output, meta)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m gdmath``."""
    parser = argparse.ArgumentParser(
        prog="python -m gdmath",
        description="Gradient descent on a one-neuron network: check configs, export data.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    command = sub.add_parser("presets", help="list the named presets")
    command.set_defaults(func=cmd_presets)
    command = sub.add_parser("check",
                             help="validate a config; print minimum, critical η, convergence")
    _add_source(command)
    command.add_argument("--json", action="store_true",
                         help="print one JSON object (schema in the README) instead of text")
    command.set_defaults(func=cmd_check)
    command = sub.add_parser("export",
                             help="write the trajectory or the loss surface as CSV or JSON")
    command.add_argument("what", choices=["trajectory", "surface"])
    _add_source(command)
    command.add_argument("--format", choices=["csv", "json"], default="csv")
    command.add_argument("--resolution", type=int, default=101,
                         help=f"grid nodes per axis (surface), 2 to {MAX_RESOLUTION}")
    command.add_argument("-o", "--output", type=Path,
                         help="file to write (default: standard output)")
    command.set_defaults(func=cmd_export)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (2 for bad input, 130 when interrupted)."""
    try:
        args = build_parser().parse_args(argv)
        return args.func(args)
    except (ConfigError, ValueError, TypeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "),
              file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
