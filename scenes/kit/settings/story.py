"""Every tunable of the videos, in one typed place.

Durations are in seconds, lengths in manim units (the frame is 8 units high), angles in degrees.
The step methods of the scenes read these values and contain no numbers of their own, so that a
timing or a colour is changed here once and the planned duration  follows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "SETTINGS",
    "Camera",
    "Colors",
    "Durations",
    "Layout",
    "Mesh",
    "Settings",
    "Sizes",
]

RGB = tuple[float, float, float]

# Viridis, sampled at 9 evenly spaced stops (from matplotlib's published table): perceptually
# uniform and readable by colour-blind viewers, so height reads the same everywhere on the valley.
VIRIDIS: tuple[RGB, ...] = (
    (0.267004, 0.004874, 0.329415),
    (0.282623, 0.140926, 0.457517),
    (0.253935, 0.265254, 0.529983),
    (0.206756, 0.371758, 0.553117),
    (0.163625, 0.471133, 0.558148),
    (0.127568, 0.566949, 0.550556),
    (0.134692, 0.658636, 0.517649),
    (0.266941, 0.748751, 0.440573),
    (0.477504, 0.821444, 0.318195),
)
# The top of viridis is a bright yellow, which we keep for the ball and the path; the surface
# stops at green-yellow so that the two never blend.


@dataclass(frozen=True)
class Durations:
    """How long each beat lasts (run times and waits)."""

    title: float = 1.5
    title_hold: float = 1.0
    equations: float = 2.0
    equations_hold: float = 1.0
    to_corner: float = 1.6
    # Share of to_corner in which the title fades; the model then moves to its corner.
    to_corner_title_share: float = 0.45
    data_panel: float = 1.5
    axes: float = 1.5
    surface: float = 2.5
    start_mark: float = 1.0
    hud: float = 1.2
    valley_hold: float = 0.5
    # Rolling: the explained steps (gradient arrow, then the step) are slow; the rest share a
    # fixed budget, so that a preset with 150 steps is not five times longer than one with 30.
    explained_step: float = 2.4
    explained_hold_fraction: float = 0.55
    rest_of_roll: float = 10.0
    roll_hold: float = 1.0
    # The caption of a path that bent replaces the roll's pause (its fade, then time to read).
    bend: float = 1.0
    bend_hold: float = 2.0
    diverged_label: float = 1.0
    rise: float = 4.0
    # Share of the rise in which the 3D l label fades; the map's numbers then fade in.
    rise_l_label_share: float = 0.4
    contours: float = 1.5
    map_hold: float = 0.5
    arrows: float = 2.0
    right_angle: float = 1.6
    right_angle_hold: float = 0.4
    floor: float = 1.5
    closing: float = 1.5
    closing_hold: float = 2.0
    lag_ratio: float = 0.1


@dataclass(frozen=True)
class Camera:
    """Camera angles (degrees) and projection of the 3D views."""

    valley_phi: float = 62.0
    # While the 3D surface is on screen, the elevation φ (from the vertical) stays in this range,
    # where the surface is never seen edge-on; only the side view of the slice (before the surface
    # grows) and the rise to the map leave it (`scenes.kit.story_camera`).
    min_phi: float = 50.0
    max_phi: float = 75.0
    # Every camera move starts and ends at rest (eased) and turns no faster than this changes
    # speed, in degrees per second², in φ and in θ.
    max_acceleration: float = 90.0
    # The preferred azimuth; the orbit starts at the turn of it (by `orbit_search_step`), and
    # sweeps in the direction, from which the surface hides the ball least (`Stage.orbit`).
    valley_theta: float = -55.0
    orbit_search_step: float = 15.0
    orbit_spin_cost: float = 0.2
    # The orbit during the roll: theta sweeps by this much (≥ 90° by design) on a smooth path,
    # while phi eases towards `roll_end_phi`.
    orbit_sweep: float = -105.0
    roll_end_phi: float = 58.0
    top_phi: float = 0.0
    top_theta: float = -90.0
    # The rise to the map turns the camera the short way, by at most this much azimuth; orbits
    # that would end further round are not chosen.
    max_rise_turn: float = 120.0
    focal_distance: float = 20.0
    # From above, a (practically) orthographic camera maps every height to the same map, so the
    # w and b units have one screen length and right angles stay right.
    top_focal_distance: float = 1.0e5
    valley_zoom: float = 0.95
    top_zoom: float = 1.15


@dataclass(frozen=True)
class Mesh:
    """Sampling of the loss surface, the contours and the rolling path."""

    surface_resolution: int = 60
    # The drawn meshes follow the output's short side in pixels: `surface_resolution` faces per
    # side at `reference_pixels`, scaled with the pixels (a 480p preview draws a fifth of the
    # faces, 4K four times as many, each face about as many pixels wide), never fewer than
    # `min_drawn_resolution`. The analysis grid (camera framing, the l axis) stays at
    # `surface_resolution`, so the layout does not change with the resolution.
    pixels: int = 1080
    reference_pixels: int = 1080
    min_drawn_resolution: int = 24
    # Share of the surface's grid lines spaced by how fast the loss changes (the rest evenly):
    # steep walls get narrow faces without adding any (`gdmath.surface_mesh`).
    surface_refine: float = 0.5
    # Rays from the ball and the trail to the eye, marched to choose the orbit: times over the
    # roll, trail points per time (the ball included), and samples along each ray.
    orbit_probe_times: int = 48
    orbit_probe_trail: int = 6
    orbit_probe_samples: int = 64
    contour_resolution: int = 301
    contour_levels: int = 12
    samples_per_step: int = 160
    # A path of many small steps gets fewer samples per step (at least `min_samples_per_step`), so
    # the trail and the roll stay this cheap overall.
    sample_budget: int = 10000
    min_samples_per_step: int = 8
    # The trail is depth-sorted in pieces of this many samples, so a hill hides only its part.
    trail_chunk: int = 6
    # On the 3D valley, in pieces about this many drawn faces long instead (the samples are far
    # closer than a face near the floor: 1,014 pieces for the default 38 steps at 480p).
    trail_piece_faces: float = 1.0
    # The l axis stops at this quantile of the surface (or just above the highest point of the
    # path, whichever is higher), so the corners do not flatten the valley.
    loss_quantile: float = 0.9
    loss_headroom: float = 1.08
    # If the surface's top is at most this many times the chosen height, keep it all (no cap).
    cap_slack: float = 1.6
    fill_opacity: float = 1.0
    colormap: tuple[RGB, ...] = VIRIDIS
    contour_color_floor: float = 0.35

    @property
    def drawn_resolution(self) -> int:
        """Faces per side of the drawn surface at this output's `pixels`."""
        return self.drawn_cells(self.surface_resolution)

    def drawn_cells(self, cells: int) -> int:
        """`cells` (faces at `reference_pixels`) scaled to this output's `pixels`."""
        scaled = round(cells * self.pixels / self.reference_pixels)
        return max(min(cells, self.min_drawn_resolution), scaled)


@dataclass(frozen=True)
class Sizes:
    """Lengths in scene units, stroke widths in pixels at 1080p, font sizes in points."""

    plane_side: float = 5.0
    loss_height: float = 3.0
    ball_radius: float = 0.12
    # Sort bias of things lying on the surface (trail, ✕), so the faces under them do not cover
    # them while a hill in front still does.
    on_surface_depth_offset: float = 0.5
    trail_width: float = 4.0
    cross_half_width: float = 0.22
    cross_width: float = 6.0
    gradient_arrow_length: float = 1.1
    arrow_width: float = 4.0
    # −∇l over the shaded surface: wider than the map's steps and outlined, so it never fades
    # into the surface's colours.
    gradient_arrow_width: float = 7.0
    contour_width: float = 2.0
    level_line_width: float = 4.0
    right_angle_side: float = 0.2
    # The right-angle mark at the start is this many times the reach of the ✕'s arms, so it
    # sits around the ✕ instead of being drawn over it.
    start_mark_clearance: float = 1.25
    floor_dot_radius: float = 0.09
    title_font: float = 48
    equation_font: float = 40
    # 30 pt: capitals 12.7 px tall at 854×480 (the smallest a blog reader can read).
    hud_font: float = 30
    small_font: float = 22
    label_font: float = 34
    panel_width: float = 3.2
    panel_height: float = 2.0
    panel_dot_radius: float = 0.045
    # The loss scale (colour bar): between the panels in landscape, under them on stacked
    # frames (as wide as their room, at most `stacked_scale_width`).
    scale_width: float = 2.6
    scale_height: float = 0.16
    stacked_scale_width: float = 3.6
    explained_steps: int = 3
    right_angle_steps: int = 4
    right_angle_length_factors: tuple[float, ...] = (3.0, 1.5)
    right_angle_min_count: int = 3
    min_arrow_length: float = 0.12
    fit_samples: int = 101
    text_outline: float = 4.0
    # Text of a transparent video or still, laid over a page of any colour, is outlined this wide
    # in its theme's background colour (`scenes.kit.theme.outline_text`).
    transparent_outline: float = 6.0
    arrow_tip_ratio: float = 0.3
    arrow_width_ratio: float = 20.0
    gradient_label_buff: float = 0.1
    # The w, b, l labels sit this far beyond the ends of the 3D axes.
    axis_label_buff: float = 0.35


@dataclass(frozen=True)
class Colors:
    """Colours as hex strings."""

    background: str = "#0d1117"
    # Of the plate under a label on the map (the floor's), over the level lines.
    plate_opacity: float = 0.85
    text: str = "#e6edf3"
    muted: str = "#8b949e"
    axes: str = "#c9d1d9"
    ball: str = "#ffd43b"
    trail: str = "#ffd43b"
    cross: str = "#ff6b6b"
    gradient: str = "#ff3b3b"
    step: str = "#ffd43b"
    contour: str = "#58a6ff"
    level_line: str = "#ff922b"
    right_angle: str = "#ffffff"
    floor: str = "#ff4d9d"
    data: str = "#74c0fc"
    fit: str = "#ffd43b"
    diverged: str = "#ff6b6b"
    highlight: str = "#ffffff"
    dim_opacity: float = 0.35


@dataclass(frozen=True)
class Layout:
    """Where the fixed-in-frame pieces sit, as gaps and sizes relative to the frame's edges.

    The frame is 8 units high and ``8 · W / H`` wide (14.2 at 16:9, 8 at 1:1, 4.5 at 9:16),
    origin at the centre; `scenes.kit.layout.StoryLayout` turns these into positions.
    """

    edge_buff: float = 0.3
    hud_gap: float = 0.22
    label_gap: float = 0.1
    floor_label_buff: float = 0.35
    equations_gap: float = 0.6
    # Between the two lines of the model (y = φ(w·x + b) over l = Σ ...).
    equation_line_gap: float = 0.3
    # (Room for a panel's y name, which sits above its axis, under the caption.)
    panel_caption_gap: float = 0.16
    # From a tick on the map from above to its number.
    map_number_buff: float = 0.15
    # Between a panel's axis and its end numbers and name.
    panel_number_gap: float = 0.08
    # The equations and the HUD numbers occupy the left column; their block may not be wider.
    left_column_width: float = 3.6
    # Landscape: the HUD blocks under the model, and the panels' offsets from the corners.
    hud_block_gap: float = 0.5
    data_panel_drop: float = 0.35
    loss_panel_lift: float = 0.1
    # Square and portrait: a band above the view keeps the caption and the HUD row. Portrait: the
    # view spans the width and the bottom band keeps at least `panels_min_height` for the panels
    # (side by side) plus the loss scale under them. Square: the panels and the loss scale stand
    # in a column this wide right of the view. The view (padded on screen by `view_pad` for the
    # axis labels and the ball) gets the rest.
    panels_min_height: float = 1.4
    # Portrait: the panels' and the loss scale's notes at this share of their font size (there
    # 16/9 times as many pixels per unit: their capitals stay ≥ 12 px at 480p).
    portrait_note_scale: float = 0.75
    # Portrait: the data panel's share of the bottom band's width (the loss panel has the rest).
    data_panel_share: float = 0.56
    square_column_width: float = 2.6
    # Between the loss scale's title and its bar.
    scale_title_gap: float = 0.12
    view_pad: float = 0.25
    # Labels of a shrunk view (w, b, l, −∇l) shrink by view_scale ** this, so they stay legible.
    label_scale_exponent: float = 0.5
    # ... but not below this: 34 pt × 0.9 keeps their capitals ≥ 12 px at 480p.
    label_min_scale: float = 0.9
    band_gap: float = 0.15
    panel_pad: float = 0.08
    # Prose that would shrink below this share of its size goes on two lines instead; a
    # Japanese line breaks after punctuation within this share of its length of the middle.
    text_min_scale: float = 0.7
    line_break_window: float = 0.3
    line_gap: float = 0.08
    # Camera poses sampled (per phase: roll, rise) to measure the view's extent on screen.
    extent_poses: int = 24
    # Square and portrait: during the roll the zoom and the view's offset follow polynomials of
    # this degree in the orbit's eased progress that keep every sampled pose's extent, widened
    # by 1 / `roll_zoom_margin` (room for the poses between the samples), in the view's room
    # and make the surface's smallest size the largest, less `roll_spread_weight` times the gap
    # to its largest (`scenes.kit.story_camera.roll_framing`).
    roll_zoom_degree: int = 4
    roll_zoom_margin: float = 0.97
    roll_spread_weight: float = 0.5


@dataclass(frozen=True)
class Settings:
    """All tunables."""

    durations: Durations = field(default_factory=Durations)
    camera: Camera = field(default_factory=Camera)
    mesh: Mesh = field(default_factory=Mesh)
    sizes: Sizes = field(default_factory=Sizes)
    colors: Colors = field(default_factory=Colors)
    layout: Layout = field(default_factory=Layout)
    cjk_font: str = "Noto Sans CJK JP"
    # The path counts as bent (and the video says so) when its heading at this share of its
    # length differs from its first step's by at least `bend_degrees` (`gdmath.heading_change`).
    bend_degrees: float = 45.0
    bend_fraction: float = 0.8
    latin_font: str = "Noto Sans CJK JP"  # its Latin and Greek match the Japanese


SETTINGS = Settings()
