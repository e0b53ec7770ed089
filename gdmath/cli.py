"""``python -m gdmath``: check a config, list presets, export a trajectory or a surface."""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path

from gdmath.config import Config, ConfigError, load_config
from gdmath.presets import DEFAULT_PRESET, PRESETS, get_preset


def _config(args: argparse.Namespace) -> Config:
    if args.config:
        return load_config(args.config)
    name = args.preset or DEFAULT_PRESET
    return Config(scenario=get_preset(name), source=f"preset {name}")


def _add_source(p: argparse.ArgumentParser) -> None:
    g = p.add_mutually_exclusive_group()
    g.add_argument("--preset",
                   help=f"a preset name ({', '.join(PRESETS)}); default {DEFAULT_PRESET}")
    g.add_argument("--config", type=Path, help="a TOML config file")


def cmd_presets(_args: argparse.Namespace) -> int:
    """List the presets."""
    for name, s in PRESETS.items():
        mark = " (default)" if name == DEFAULT_PRESET else ""
        print(f"{name:12s} {s.title}{mark}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Validate a config and print what the descent will do."""
    cfg = _config(args)
    s = cfg.scenario
    t = s.trajectory
    m = s.minimum
    eta_c = s.critical_learning_rate
    lines = [
        f"source            {cfg.source}",
        f"problem           {s.problem.n} points, activation {s.problem.activation}, "
        f"loss {s.problem.loss_kind}",
        f"start (w0, b0)    ({s.start[0]:.6g}, {s.start[1]:.6g}), l = {t.loss[0]:.6g}",
        f"learning rate     η = {s.learning_rate:.6g}",
        f"minimum           (w, b) = ({m.w:.6g}, {m.b:.6g}), l = {m.loss:.6g}"
        f"{'' if m.success else '  [optimizer: ' + m.message + ']'}",
        f"Hessian there     eigenvalues {m.eigenvalues[0]:.6g}, {m.eigenvalues[1]:.6g} "
        f"(condition number {m.condition_number:.3g})",
        f"critical η        2/λmax = {eta_c:.6g}"
        + ("" if math.isinf(eta_c) else f"  (η is {s.learning_rate / eta_c:.0%} of it)"),
        f"descent           {t.message}; final l = {t.loss[-1]:.6g} "
        f"at ({t.w[-1]:.6g}, {t.b[-1]:.6g})",
        f"view              w in [{s.w_range[0]:g}, {s.w_range[1]:g}], "
        f"b in [{s.b_range[0]:g}, {s.b_range[1]:g}]",
    ]
    print("\n".join(lines))
    return 0


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
    else:
        out.write_text(text)
        print(f"wrote {len(rows)} rows to {out}", file=sys.stderr)


def cmd_export(args: argparse.Namespace) -> int:
    """Write the trajectory or the surface as CSV or JSON."""
    s = _config(args).scenario
    meta = {"source": str(args.config or args.preset or DEFAULT_PRESET), "what": args.what}
    if args.what == "trajectory":
        t = s.trajectory
        rows = [
            {"step": i, "w": float(t.w[i]), "b": float(t.b[i]), "loss": float(t.loss[i]),
             "grad_w": float(t.grad_w[i]), "grad_b": float(t.grad_b[i])}
            for i in range(t.w.size)
        ]
        meta |= {"learning_rate": t.learning_rate, "converged": t.converged,
                 "diverged": t.diverged, "message": t.message}
    else:
        surf = s.surface(args.resolution)
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
    p = sub.add_parser("presets", help="list the named presets")
    p.set_defaults(func=cmd_presets)
    p = sub.add_parser("check", help="validate a config; print minimum, critical η, convergence")
    _add_source(p)
    p.set_defaults(func=cmd_check)
    p = sub.add_parser("export", help="write the trajectory or the loss surface as CSV or JSON")
    p.add_argument("what", choices=["trajectory", "surface"])
    _add_source(p)
    p.add_argument("--format", choices=["csv", "json"], default="csv")
    p.add_argument("--resolution", type=int, default=101, help="grid nodes per axis (surface)")
    p.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")
    p.set_defaults(func=cmd_export)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (2 for a bad config)."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (ConfigError, ValueError, TypeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
