"""Tunables of the lecture map scenes: landscapes, curvature, basins."""

from __future__ import annotations

from dataclasses import dataclass, field

from scenes.kit.theme import Theme

Point = tuple[float, float]


# --------------------------------------------------------------------------- tunables
@dataclass(frozen=True)
class MapLook:
    """Sizes shared by the lecture map scenes.

    Lengths in scene units (the frame is 8 units high), stroke widths in pixels at 1080p, font
    sizes in points.
    """

    edge_buff: float = 0.3
    caption_height: float = 0.75
    region_gap: float = 0.45
    title_font: float = 40
    caption_font: float = 30
    label_font: float = 30
    small_font: float = 22
    readout_font: float = 26
    contour_width: float = 1.6
    contour_levels: int = 12
    contour_resolution: int = 161
    # The colour scale and the top contour stop at this quantile of the view (the corners are
    # much higher than the valley).
    loss_quantile: float = 0.9
    contour_color_floor: float = 0.35
    axes_width: float = 2.0
    trail_width: float = 4.0
    ball_radius: float = 0.085
    ball_outline: float = 2.5
    cross_half_width: float = 0.11
    cross_width: float = 5.0
    minimum_radius: float = 0.17
    minimum_width: float = 4.0
    arrow_width: float = 4.0
    swatch_side: float = 0.28
    row_gap: float = 0.22
    text_outline: float = 4.0
    highlight_buff: float = 0.08
    highlight_width: float = 4.0


@dataclass(frozen=True)
class LandscapeDurations:
    """Seconds of each beat of the landscapes scene."""

    maps: float = 2.5
    maps_hold: float = 0.5
    shading: float = 2.0
    shading_hold: float = 1.5
    roll: float = 10.0
    roll_hold: float = 0.5
    saturated: float = 1.2
    saturated_hold: float = 2.3
    dead: float = 1.2
    dead_hold: float = 2.3
    clear: float = 0.7
    ridge_map: float = 1.3
    ridge_roll: float = 7.0
    ridge_minima: float = 1.2
    ridge_hold: float = 2.8


@dataclass(frozen=True)
class LandscapeSettings:
    """Tunables of the landscapes scene (``scenes/landscapes.py``)."""

    durations: LandscapeDurations = field(default_factory=LandscapeDurations)
    activations: tuple[str, ...] = ("identity", "sigmoid", "tanh", "relu")
    # φ(z) in one line of TeX for the panel titles (gdmath's `Activation.latex` otherwise).
    inline_tex: tuple[tuple[str, str], ...] = (("sigmoid", r"1/(1+e^{-z})"),)
    # A cell is "almost flat" where |∇l| is under this fraction of the largest |∇l| in the view.
    flat_fraction: float = 0.01
    # Activations other than the configured one descend with this fraction of the smallest
    # critical rate 2/λmax over the view, so that no step in the window can blow up.
    other_rate_fraction: float = 0.5
    shade_opacity: float = 0.5
    # Share of the frame's width (landscape) or height (portrait) kept for the legend column.
    side_share: float = 0.34
    # On a landscape frame the side column grows by up to this factor into the room the maps
    # (fitted by height) leave beside them.
    side_grow: float = 1.35
    panel_title_height: float = 0.4
    panel_readout_height: float = 0.38
    panel_gap: float = 0.22
    # Free space around each small map (left, right, bottom, top): ``b`` sits left of its axis.
    panel_margins: tuple[float, float, float, float] = (0.3, 0.3, 0.12, 0.05)
    data_width: float = 2.6
    data_height: float = 1.5
    # On a square or portrait frame the data panel is this share of `data_height` high: the
    # band under the maps is no taller than it needs to be, the maps get the height.
    stacked_data_share: float = 0.7
    data_dot_radius: float = 0.04
    # The ridge: a second problem with two starts on either side of a ridge.
    ridge_preset: str = "two-basins"
    ridge_starts: tuple[Point, ...] = ((3.0, -2.5), (2.5, 0.5))
    ridge_steps: int = 4000
    ridge_tol: float = 1e-6


@dataclass(frozen=True)
class CurvatureDurations:
    """Seconds of each beat of the curvature scene."""

    map: float = 2.0
    map_hold: float = 0.5
    hessian: float = 2.0
    hessian_hold: float = 2.0
    explained_step: float = 1.6
    rest: float = 3.0
    rest_hold: float = 1.0
    limit: float = 2.0
    limit_hold: float = 3.5


@dataclass(frozen=True)
class CurvatureSettings:
    """Tunables of the curvature scene (``scenes/curvature.py``)."""

    durations: CurvatureDurations = field(default_factory=CurvatureDurations)
    # Explained steps each get an arrow; they go back and forth along one line, so few, thin and
    # with tips in proportion keep them apart (the chart still splits `chart_steps` steps).
    explained_steps: int = 4
    chart_steps: int = 12
    # The local level-line ellipse at the ball: its semi-axis along the steep direction (scene
    # units); the shallow one is longer by √(λsteep/λshallow), up to `max_semi_axis`.
    steep_semi_axis: float = 0.22
    max_semi_axis: float = 0.85
    ellipse_width: float = 3.0
    cross_width: float = 7.0
    side_share: float = 0.36
    chart_height: float = 2.2
    # On a square or portrait frame the chart has its own width and a share of that height.
    stacked_chart_width: float = 2.0
    stacked_chart_share: float = 0.6
    chart_bar_width: float = 0.32
    # Tip length: this share of the arrow's length, at most `step_arrow_tip_max` (scene units).
    step_arrow_tip: float = 0.15
    step_arrow_tip_max: float = 0.22
    arrow_width: float = 2.2
    old_arrow_opacity: float = 0.35
    # The steps after the explained ones zig-zag over the ellipse: a thin trail.
    rest_trail_width: float = 1.8


@dataclass(frozen=True)
class BasinDurations:
    """Seconds of each beat of the basins scene."""

    map: float = 2.0
    map_hold: float = 0.5
    starts: float = 1.0
    roll: float = 6.0
    roll_hold: float = 1.0
    colour: float = 2.5
    colour_hold: float = 1.5
    legend: float = 1.5
    legend_hold: float = 2.5
    closing: float = 1.5
    closing_hold: float = 3.0


@dataclass(frozen=True)
class BasinSettings:
    """Tunables of the basins scene (``scenes/basins.py``)."""

    durations: BasinDurations = field(default_factory=BasinDurations)
    # Starts per side of the grid; with the two-basins view the preset's starts are grid nodes.
    resolution: int = 131
    steps: int = 4000
    tol: float = 1e-6
    # Starts drawn with their trajectory: the configured start, these (when in the view), then
    # `starts_per_basin` more per basin, spread out (farthest first), away from the edges.
    extra_starts: tuple[Point, ...] = ((2.5, 0.5),)
    starts_per_basin: int = 2
    start_margin: float = 0.12
    fill_opacity: float = 0.55
    unsettled_opacity: float = 0.35
    # The basins are filled inside smooth borders (`gdmath.basins.basin_outlines`): each label's
    # indicator blurred by this many grid spacings, not the grid's staircase of cells.
    border_smoothing: float = 1.2
    contour_opacity: float = 0.55
    side_share: float = 0.34
    # On a landscape frame the legend grows by up to this factor into the room beside the map.
    side_grow: float = 1.4


@dataclass(frozen=True)
class ContourMapSettings:
    """Tunables of the 2D contour map (``scenes/contour.py``) on a landscape frame.

    The story's landscape layout keeps the map at the size of the main video's middle column
    (a third of the frame): on its own the map grows to fill the height under the caption, at
    most `max_view_scale` times that size.
    """

    max_view_scale: float = 2.5


# Categorical colours for minima (index k colours minimum k). On the dark theme Okabe–Ito, which
# colour-blind viewers tell apart; on the light theme darker shades of the same hues, so that
# lines and labels keep a contrast of at least 3:1 against the page (tested).
BASIN_PALETTES: dict[str, tuple[str, ...]] = {
    "dark": ("#e69f00", "#56b4e9", "#009e73", "#cc79a7", "#0072b2", "#d55e00", "#f0e442"),
    "light": ("#b86e00", "#1f77b4", "#00795a", "#a8457f", "#00578a", "#b34700", "#7a6f00"),
}
UNSETTLED_COLOR = "#8c8c8c"


def basin_palette(theme: Theme) -> tuple[str, ...]:
    """The categorical colours of the minima for `theme`."""
    return BASIN_PALETTES.get(theme.name, BASIN_PALETTES["dark"])
