"""Tunables of the seed's three further ideas in the main video (`scenes.kit.story_seed`).

Durations in seconds, lengths in scene units, angles in degrees, as in `scenes.kit.settings.story`.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SEED", "SeedSettings"]


@dataclass(frozen=True)
class SeedSettings:
    """The one-parameter opening, the known landscape and the detour."""

    # The opening: the slice l(w) at b = b₀, seen from the side (the camera looks along b).
    slice_phi: float = 90.0
    slice_theta: float = -90.0
    slice_axes: float = 1.2
    slice_curve: float = 1.5
    slice_roll: float = 4.0
    slice_hold: float = 0.8
    slice_steps: int = 40
    slice_tol: float = 1e-3
    slice_samples: int = 241
    slice_samples_per_step: int = 24
    free_b: float = 3.5
    # The known landscape: the surface within this distance (scene units) of the path so far;
    # the rest of the surface ghosted.
    patch_radius: float = 0.4
    # The band is cut from a mesh of this many faces per radius, at most `patch_max_cells` along
    # the path's window (`gdmath.band_mesh`: its edge lies on the curve at the radius).
    patch_cells: int = 8
    patch_max_cells: int = 120
    ghost_opacity: float = 0.0
    ghost: float = 1.5
    ghost_hold: float = 0.5
    reveal: float = 2.0
    reveal_hold: float = 1.0
    # The detour on the map: the straight segment start → floor (dashed) and the level line
    # through the start, which the path stays inside and the straight segment leaves.
    detour_min_turn: float = 45.0
    detour: float = 2.0
    detour_hold: float = 2.0
    dash_length: float = 0.08
    bump_dot_radius: float = 0.06


SEED = SeedSettings()
