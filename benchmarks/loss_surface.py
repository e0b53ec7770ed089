"""Time `gdmath.loss_surface` against the fused-numpy floor and a naive per-point loop.

Run: ``.venv/bin/python benchmarks/loss_surface.py [--resolution 1001] [--points 100]``.
Prints seconds and ratios measured in this one run (timings on a shared 2-core machine are noisy;
the ratios are what to compare). Not a timed test.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import gdmath


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--resolution", type=int, default=1001)
    ap.add_argument("--points", type=int, default=100)
    ap.add_argument("--activation", default="sigmoid")
    ap.add_argument("--naive-sample", type=int, default=20_000,
                    help="grid nodes timed with the naive loop (extrapolated to the grid)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    d = gdmath.make_dataset(2.0, -0.5, args.activation, n=args.points, noise=0.1, seed=0)
    p = gdmath.Problem(d.x, d.y, args.activation)
    wr, br = (-3.0, 3.0), (-3.0, 3.0)
    n = args.resolution
    w = np.linspace(*wr, n)
    b = np.linspace(*br, n)
    phi = p.phi.f

    def ours():
        return gdmath.loss_surface(p, wr, br, n).L

    def fused():
        # One numpy expression over a (nb, nw, points) temporary: the floor for numpy, at the
        # price of resolution² · points · 8 bytes of memory.
        z = w[None, :, None] * d.x + b[:, None, None]
        return ((phi(z) - d.y) ** 2).sum(axis=-1)

    sample = np.random.default_rng(0).integers(0, n, size=(args.naive_sample, 2))

    def naive():
        out = np.empty(len(sample))
        for k, (i, j) in enumerate(sample):
            out[k] = float(np.sum((phi(w[i] * d.x + b[j]) - d.y) ** 2))
        return out

    np.testing.assert_allclose(ours(), fused(), rtol=1e-12)
    np.testing.assert_allclose(naive(), ours()[sample[:, 1], sample[:, 0]], rtol=1e-12)
    t_ours = best_of(ours, args.repeat)
    t_fused = best_of(fused, args.repeat)
    t_naive = best_of(naive, 1) * (n * n) / len(sample)
    print(f"loss_surface {n}×{n} over {args.points} points ({args.activation})")
    print(f"  gdmath.loss_surface   {t_ours:8.3f} s")
    print(f"  fused numpy (floor)   {t_fused:8.3f} s   "
          f"temporary {n * n * args.points * 8 / 1e9:.2f} GB")
    print(f"  naive per-point loop  {t_naive:8.3f} s   (extrapolated from {len(sample)} nodes)")
    print(f"  ratio ours/floor      {t_ours / t_fused:8.2f}")
    print(f"  ratio naive/ours      {t_naive / t_ours:8.1f}")


if __name__ == "__main__":
    main()
