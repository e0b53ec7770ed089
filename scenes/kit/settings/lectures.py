"""Tunables of the lecture scenes: learning rates, optimizers, flow, SGD."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from scenes.kit.theme import Theme


# =========================================================================== tunables
@dataclass(frozen=True)
class Series:
    """Colours for several runs drawn together, per theme (each ≥ 3:1 against its background)."""

    dark: tuple[str, ...] = ("#ffd43b", "#ff6b6b", "#74c0fc", "#b197fc", "#69db7c")
    light: tuple[str, ...] = ("#b35c00", "#c92a2a", "#1864ab", "#7048e8", "#2b8a3e")

    def for_theme(self, theme: Theme) -> tuple[str, ...]:
        """The colours of `theme` (``dark`` or ``light``)."""
        return self.light if theme.name == "light" else self.dark


@dataclass(frozen=True)
class MapStyle:
    """How maps, paths and text look in every lecture scene (lengths in scene units)."""

    contour_width: float = 1.6
    trail_width: float = 3.5
    ball_radius: float = 0.075
    # Background-coloured ring around every ball (pixels at 1080p): a ball on its own trail or on
    # another run's stays visible.
    ball_outline: float = 3.0
    cross_half_width: float = 0.12
    cross_width: float = 4.0
    samples_per_step: int = 12
    trail_chunk: int = 48
    contour_color_floor: float = 0.35
    title_font: float = 36
    subtitle_font: float = 24
    label_font: float = 24
    small_font: float = 20
    tex_font: float = 30
    axis_label_font: float = 26
    # On square and portrait frames no text is set smaller than these (capitals of 12 px at
    # 480p: TeX at 30, prose at 21), and the layouts shrink the maps, not the text.
    stacked_min_tex: float = 30
    stacked_min_text: float = 21
    edge_buff: float = 0.3
    gap: float = 0.3
    text_outline: float = 5.0
    dim_opacity: float = 0.25
    # Once a diverging ball has left the window it fades out over this many steps.
    exit_fade_steps: float = 0.6
    # The loss curves show log10(l / l_floor), clipped below at this many decades under l₀.
    log_decades: float = 4.0
    loss_curve_height: float = 1.2
    loss_stroke: float = 3.0
    loss_dot_radius: float = 0.05


@dataclass(frozen=True)
class LearningRateSettings:
    """`scenes/learning_rates.py`: four step sizes on the same valley, side by side.

    η is given as a fraction of η_crit = 2/λmax (λmax: largest Hessian eigenvalue at the
    minimum), so the four regimes keep their meaning on any convex preset.
    """

    preset: str = "bowl"
    regimes: tuple[str, ...] = ("crawl", "glide", "zigzag", "diverge")
    fractions: tuple[float, ...] = (0.02, 0.3, 0.95, 1.1)
    # Index into `Series` of each regime's colour.
    colors: tuple[int, ...] = (2, 4, 3, 1)
    steps: int = 40
    # The runs are also followed this long to say how they end (converged, diverged).
    follow_steps: int = 3000
    follow_tol: float = 1e-8
    # How `regime_outcome` judges a run: a crawl still has this share of its start's excess
    # loss after `steps`; a zig-zag crosses the valley floor on this share of its steps.
    crawl_share: float = 0.01
    zigzag_share: float = 0.9
    # Further claims checked by the tests: the crawl ends above this many times the floor's
    # loss, the good run within this factor of it.
    crawl_loss_factor: float = 10.0
    glide_loss_factor: float = 1.05
    # The four maps are small and the zig-zag crosses the valley 40 times: thin trails keep its
    # strokes apart (no solid wedge), and the ball (outlined, on top) and ✕ show over them.
    trail_width: float = 1.5
    ball_radius: float = 0.085
    # On a square or portrait frame each loss curve is this share of its map's width high.
    stacked_curve_share: float = 0.45
    # A loss curve beside its map is at least this wide (and half this high).
    stacked_min_curve: float = 1.0
    title: float = 1.5
    title_hold: float = 0.8
    critical: float = 2.0
    critical_hold: float = 1.5
    panels: float = 2.0
    run: float = 14.0
    run_hold: float = 0.8
    verdicts: float = 1.5
    verdict_hold: float = 2.0
    closing: float = 1.5
    closing_hold: float = 2.5


@dataclass(frozen=True)
class Racer:
    """One optimizer of the race and its step size.

    ``per="critical"``: η = `learning_rate` × η_crit (gradient-scaled rules: GD, momentum,
    Nesterov). ``per="view"``: η = `learning_rate` × the longer side of the (w, b) view (RMSProp
    and Adam step about η per coordinate whatever the gradient, so their η is a length).
    """

    optimizer: str
    learning_rate: float
    per: Literal["critical", "view"] = "critical"


@dataclass(frozen=True)
class OptimizerSettings:
    """`scenes/optimizers.py`: five optimizers racing on the 3D valley, then on the map.

    The default start lies at the far end of the bowl's valley: there the gradient points across
    the valley at about 18° from the w axis while the sign route of Adam runs at 45°, so the two
    routes part visibly. (From the preset's own start, on the valley's steep axis, the gradient
    is within 5° of the diagonal and all five routes coincide.)
    """

    default_config: Mapping[str, Any] = field(default_factory=lambda: {
        "preset": "bowl",
        "descent": {"start": [-0.8, 0.9]},
        "view": {"w_range": [-1.0, 4.0], "b_range": [-2.5, 2.0]},
    })
    racers: tuple[Racer, ...] = (
        Racer("gd", 0.3),
        Racer("momentum", 0.1),
        Racer("nesterov", 0.1),
        Racer("rmsprop", 0.004, "view"),
        Racer("adam", 0.02, "view"),
    )
    steps: int = 60
    # Adam's first `sign_steps` steps move each coordinate by η within this relative tolerance.
    sign_steps: int = 2
    sign_tolerance: float = 0.05
    # Momentum passes the minimum along the valley by more than this share of its start's
    # distance along it (the claim of tests/test_optimizers.py, at the scene's η).
    overshoot_share: float = 0.25
    samples_per_step: int = 20
    trail_chunk: int = 8
    # One radius per racer, largest first, and each ball sorted `ball_sort_step` in front of
    # the one before: where two runs coincide (momentum and Nesterov share η and much of their
    # route) the smaller ball sits on the larger and a ring of the larger still shows.
    ball_radii: tuple[float, ...] = (0.145, 0.125, 0.095, 0.085, 0.07)
    ball_sort_step: float = 0.05
    trail_width: float = 3.5
    orbit_sweep: float = -30.0
    # Width of the valley on screen at the 3D camera's zoom: narrower frames zoom out to it.
    valley_width: float = 8.0
    legend_share: float = 0.22
    # The top view fills this share of the space left by title, legend and caption.
    map_fill: float = 0.95
    caption_room: float = 0.55
    guide_length: float = 2.2
    # The close-up of Adam's first steps: how many iterates it frames, how much it fills.
    sign_frame_steps: int = 8
    sign_fill: float = 0.8
    mark_dash: float = 0.15  # on screen
    mark_tip: float = 0.25
    title: float = 1.5
    title_hold: float = 0.5
    valley: float = 2.0
    start: float = 1.0
    race: float = 13.0
    race_hold: float = 0.8
    overshoot: float = 1.5
    overshoot_hold: float = 2.0
    rise: float = 3.0
    map_hold: float = 0.5
    sign_route: float = 1.5
    sign_route_hold: float = 2.5
    closing: float = 2.0
    closing_hold: float = 2.0


@dataclass(frozen=True)
class FlowSettings:
    """`scenes/flow.py`: the gradient flow and GD steps for a large and a small η on top.

    Both runs cover the same flow time ``horizon × η_crit``: ``round(T / η)`` steps each.
    """

    preset: str = "bowl"
    large: float = 0.85
    small: float = 0.1
    horizon: float = 20.0
    flow_points: int = 400
    # Steps the scene also measures (tests: the gap shrinks along this ladder of η).
    ladder: tuple[float, ...] = (0.85, 0.6, 0.4, 0.2, 0.1, 0.05)
    map_side: float = 5.6
    # On a landscape frame the legend column grows by up to this factor into the room beside
    # the map, `legend_gap` from it.
    legend_grow: float = 1.35
    legend_gap: float = 0.7
    step_dot_radius: float = 0.04
    # Dots closer than this to the previous drawn one are left out (scene units): the small η's
    # 200 iterates would merge into a band wider than the flow.
    dot_min_gap: float = 0.16
    flow_width: float = 3.0
    # Both runs' trails are thinner than the flow, which is drawn over them (balls and ✕ on top).
    trail_width: float = 1.6
    title: float = 1.5
    title_hold: float = 1.0
    map: float = 1.5
    flow: float = 2.5
    flow_hold: float = 1.0
    large_steps: float = 4.0
    large_hold: float = 1.5
    small_steps: float = 4.0
    small_hold: float = 1.5
    closing: float = 1.5
    closing_hold: float = 2.5


@dataclass(frozen=True)
class SGDSettings:
    """`scenes/sgd.py`: full-batch GD and minibatch SGD from the same start with the same η."""

    preset: str = "bowl"
    fraction: float = 0.3  # η = fraction × η_crit
    batch_size: int = 2
    seed: int = 0
    steps: int = 60
    # The SGD iterates stay within this distance of the GD path (tested on this setting).
    band: float = 0.2
    # Half side of the zoomed window around the minimum.
    zoom_half_side: float = 0.45
    map_side: float = 5.4
    inset_side: float = 2.9
    # The band is drawn as a faint fill under everything and two thin edges (its border at
    # radius `band`, traced on a `band_resolution`² grid), so it never covers a path or the ✕.
    band_opacity: float = 0.1
    band_edge_width: float = 1.5
    band_edge_opacity: float = 0.75
    band_resolution: int = 241
    title: float = 1.5
    title_hold: float = 1.0
    map: float = 1.5
    run: float = 8.0
    run_hold: float = 0.8
    band_in: float = 1.5
    band_hold: float = 1.5
    zoom: float = 1.5
    zoom_run: float = 6.0
    zoom_hold: float = 1.0
    closing: float = 1.5
    closing_hold: float = 2.5


@dataclass(frozen=True)
class LectureSettings:
    """All tunables of the lecture scenes."""

    style: MapStyle = field(default_factory=MapStyle)
    series: Series = field(default_factory=Series)
    learning_rates: LearningRateSettings = field(default_factory=LearningRateSettings)
    optimizers: OptimizerSettings = field(default_factory=OptimizerSettings)
    flow: FlowSettings = field(default_factory=FlowSettings)
    sgd: SGDSettings = field(default_factory=SGDSettings)


LECTURE = LectureSettings()
