"""Five optimizers race down the same valley: on the 3D surface, then on the contour map.

GD, momentum, Nesterov, RMSProp and Adam start at the same point with their own η.

Render with ``manim -pqh scenes/optimizers.py`` or ``gdviz render scenes/optimizers.py``.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    UL,
    Arrow,
    Create,
    DashedLine,
    FadeIn,
    FadeOut,
    GrowArrow,
    UpdateFromAlphaFunc,
    VGroup,
    linear,
    smooth,
)

from scenes.kit.axes import scene_points
from scenes.kit.descent_study import DEG, DescentStudy
from scenes.kit.env import VideoConfig
from scenes.kit.layout import projected_extent
from scenes.kit.lecture_base import STACKED_CAPTION_ROOM, LectureScene3D, layer_in_order
from scenes.kit.lecture_studies import (
    RaceRun,
    optimizer_race,
    overshoot_share,
    surface_samples,
    window_mask,
)
from scenes.kit.mobjects import StartCross, make_ball, make_surface
from scenes.kit.paths import PathOnValley, surface_stops
from scenes.kit.sci import tex_number
from scenes.kit.settings.lectures import LECTURE
from scenes.kit.theme import current_frame, mark_key_moment


class OptimizerRace(LectureScene3D):
    """GD, momentum, Nesterov, RMSProp and Adam from one start: one coloured ball each.

    The balls roll on the 3D loss surface while the camera turns; momentum overshoots the
    minimum along the valley and swings back. The camera then rises to a top view, the contour
    map, where Adam's route shows: its first steps move w and b by about η each (it follows the
    signs of the gradient, not its size), a 45° line that the gradient's direction does not
    follow. Every η is in `scenes.kit.settings.lectures.OptimizerSettings`
    (tests/test_lecture_a.py checks
    both claims at exactly these values).

    Data: ``GDVIZ_CONFIG`` or ``GDVIZ_PRESET`` as for every scene (the preset's own start is
    used). With neither set: the ``bowl`` preset (condition number 12) started at (−0.8, 0.9),
    the far end of its long valley, in the bowl's view window; from the preset's own start the
    gradient points along the diagonal and the five routes would coincide.
    ``GDVIZ_LANG=ja`` for Japanese.
    """

    default_config = LECTURE.optimizers.default_config

    # ---------------------------------------------------------------- plan
    @classmethod
    def make_study(cls, video: VideoConfig) -> tuple[RaceRun, ...]:
        """The five runs (gdmath)."""
        return optimizer_race(video.scenario, cls.settings.optimizers)  # type: ignore[attr-defined]

    # ---------------------------------------------------------------- table of contents
    def construct(self) -> None:
        """The table of contents."""
        self.show_title()
        self.show_valley()
        self.race()
        self.point_out_overshoot()
        self.look_from_above()
        self.point_out_sign_route()
        self.close()

    # ---------------------------------------------------------------- helpers
    def run_of(self, optimizer: str) -> int:
        """Index of `optimizer` in the race."""
        return next(i for i, run in enumerate(self.study) if run.optimizer == optimizer)

    def swap_caption(self, words: str, color: str | None = None, **fade: object) -> list[object]:
        """Animations that replace the bottom caption with `words` (also kept in `caption_swap`)."""
        self.caption_swap = super().swap_caption(words, color, **fade)
        return self.caption_swap

    def highlight(self, keep: int | None) -> list[object]:
        """Dim every trail but run `keep`'s (None: all at full strength)."""
        dim = self.settings.style.dim_opacity
        return [path.trail.animate.set_stroke(opacity=1.0 if keep in (None, i) else dim)
                for i, path in enumerate(self.paths)]

    def ball_radius(self, rank: int) -> float:
        """Radius of the ball of racer `rank` (the last radius for racers beyond the list)."""
        radii = self.settings.optimizers.ball_radii
        return radii[min(rank, len(radii) - 1)]

    # ---------------------------------------------------------------- 1. title and legend
    def show_title(self) -> None:
        """Title (from the first frame), subtitle and the legend: colour, name and η."""
        tuning, lab = self.settings.optimizers, self.labels
        self.colors = self.settings.series.for_theme(self.theme)
        title = self.title = self.title_block(lab.opt_title,
                                              lab.opt_subtitle.format(n=tuning.steps))
        rows = [self.legend_row(color, lab.optimizer(run.optimizer),
                                rf"\eta = {tex_number(run.learning_rate, 4)}",
                                size=self.settings.style.label_font)
                for run, color in zip(self.study, self.colors, strict=True)]
        frame = current_frame()
        # A column on the left, beside the valley (a square frame: at its full size).
        self.legend_beside = frame.orientation != "portrait"
        if self.legend_beside:
            self.legend = VGroup(*rows).arrange(DOWN, aligned_edge=LEFT, buff=0.28)
            if frame.orientation == "landscape":
                self.fit_width(self.legend, tuning.legend_share * frame.width)
            self.legend.to_corner(UL, buff=self.settings.style.edge_buff)
            self.legend.shift(DOWN * (title.height + self.settings.style.gap))
        else:
            # A portrait frame: under the title, above the valley, in three columns or two,
            # whichever needs the least shrinking (never under the floors: `stack_with_map`).
            width = frame.width - 2 * self.settings.style.edge_buff
            least = min(1.0, frame.width / frame.height)
            self.legend = VGroup(*rows)
            cols = max((3, 2), key=lambda n: min(1.0, width / self.legend.arrange_in_grid(
                cols=n, buff=(0.4, 0.2), cell_alignment=LEFT).width) - 0.01 * n)
            self.legend.arrange_in_grid(cols=cols, buff=(0.4, 0.2), cell_alignment=LEFT)
            if self.legend.width > width:
                self.legend.scale(max(least, width / self.legend.width))
            self.legend.next_to(title, DOWN, buff=self.settings.style.gap)
        self.fix(title, self.legend)
        self.add(title[0])
        self.beat("title", self.settings.optimizers.title,
                  FadeIn(title[1]), FadeIn(self.legend, lag_ratio=0.2))
        self.hold("title_hold", self.settings.optimizers.title_hold)

    # ---------------------------------------------------------------- 2. the valley
    def build_valley(self) -> None:
        """Stage (axes, l range, level lines), surface, start ✕, paths and the minimum."""
        tuning = self.settings.optimizers
        stage = self.stage = DescentStudy(self.video)
        self.axes = stage.axes.set_color(self.theme.axes)
        stops = surface_stops(self.theme)
        self.surface = make_surface(self.axes, stage.surface.w, stage.surface.b, stage.surface.L,
                                    stage.l_range, stops, stage.settings.mesh.fill_opacity)
        offset = stage.settings.sizes.on_surface_depth_offset
        self.paths = []
        for rank, (run, color) in enumerate(zip(self.study, self.colors, strict=True)):
            samples, grads = surface_samples(stage.problem, run.trajectory, tuning.samples_per_step)
            inside = (np.isfinite(samples).all(axis=1) & np.isfinite(grads).all(axis=1)
                      & window_mask(samples, stage.scenario)
                      & (samples[:, 2] <= stage.l_range[1]))
            path = PathOnValley(self.axes, samples, grads, inside, tuning.samples_per_step, color,
                                self.ball_radius(rank), tuning.trail_width, tuning.trail_chunk,
                                offset)
            self.paths.append(path)
        minimum = stage.scenario.minimum
        self.floor = make_ball(scene_points(self.axes, minimum.w, minimum.b, minimum.loss), 0.06,
                               self.theme.floor, offset)
        sizes = stage.settings.sizes
        self.cross = StartCross(self.axes, stage.cross_diagonals(), self.theme.cross,
                                sizes.cross_width, offset)
        cam = stage.settings.camera
        # A narrow frame sees less of the valley: zoom out in proportion.
        self.zoom = cam.valley_zoom * min(1.0, current_frame().width / tuning.valley_width)
        self.set_camera_orientation(phi=cam.valley_phi * DEG, theta=cam.valley_theta * DEG,
                                    focal_distance=cam.focal_distance, zoom=self.zoom)
        if current_frame().orientation != "landscape":
            self.fit_valley()
        # Later racers are drawn in front where balls meet (smaller, so a ring shows), whatever
        # the camera and the balls' depths: set again at every frame that moves either.
        self.layer_balls()

    def fit_valley(self) -> None:
        """On a stacked frame: zoom and shift the valley into the room under the legend.

        The surface's and the axes' extent on screen is measured over the race's orbit; the
        camera's zoom makes it fill that room and its `screen_offset` centres it there (the
        offset returns to 0 during the rise, so the top view is framed as before).
        """
        tuning, cam = self.settings.optimizers, self.camera
        surface, axes = self.stage.surface, self.axes
        grid = scene_points(axes, surface.w[None, ::3], surface.b[::3, None],
                            np.minimum(surface.L[::3, ::3], self.stage.l_range[1])).reshape(-1, 3)
        points = np.vstack([grid, axes.get_all_points()])
        phi, theta = cam.get_phi(), cam.get_theta()

        def pose(sweep: float):
            def apply() -> None:
                cam.set_theta(theta + sweep * DEG)
                cam.set_zoom(1.0)
                cam.reset_rotation_matrix()
            return apply

        cam.screen_offset = np.zeros(2)
        poses = [pose(share * tuning.orbit_sweep) for share in (0.0, 0.5, 1.0)]
        left, right, bottom, top = projected_extent(cam.project_points, points, poses)
        lo, hi = self.free_area()
        self.zoom = tuning.map_fill * min((hi - lo)[0] / (right - left),
                                          (hi - lo)[1] / (top - bottom))
        middle = np.array([(left + right) / 2, (bottom + top) / 2])
        cam.screen_offset = (lo + hi) / 2 - self.zoom * middle
        self.set_camera_orientation(phi=phi, theta=theta, zoom=self.zoom)
        cam.reset_rotation_matrix()

    def layer_balls(self) -> None:
        """Sort offsets that draw the racers' balls in race order where they overlap."""
        tuning = self.settings.optimizers
        offset = self.stage.settings.sizes.on_surface_depth_offset
        layer_in_order(self.camera, [path.ball for path in self.paths],
                       offset + 2 * max(tuning.ball_radii), tuning.ball_sort_step)

    def show_valley(self) -> None:
        """Axes and surface, then the ✕ at the start with the five balls, and the minimum."""
        self.build_valley()
        self.beat("valley", self.settings.optimizers.valley, Create(self.axes),
                  FadeIn(self.surface))
        self.add(*(path.trail for path in self.paths))
        self.beat("start", self.settings.optimizers.start,
                  Create(self.cross), *(FadeIn(path.ball) for path in self.paths),
                  FadeIn(self.floor))

    # ---------------------------------------------------------------- 3. the race
    def race(self) -> None:
        """All balls step for step along their exact trajectories; the camera turns."""
        self.race_theta = self.camera.get_theta()
        moving = VGroup(*self.paths)
        self.beat("race", self.settings.optimizers.race,
                  UpdateFromAlphaFunc(moving, lambda _mob, alpha: self.show_race_at(alpha)),
                  rate_func=linear)
        mark_key_moment(self, "race")
        self.hold("race_hold", self.settings.optimizers.race_hold)

    def show_race_at(self, alpha: float) -> None:
        """The race at `alpha` (0 to 1) of its beat: balls, trails and the camera's azimuth."""
        tuning = self.settings.optimizers
        for path in self.paths:
            path.show_at(alpha * tuning.steps)
        self.camera.set_theta(self.race_theta + smooth(alpha) * tuning.orbit_sweep * DEG)
        self.layer_balls()

    def point_out_overshoot(self) -> None:
        """Momentum's trail alone: it rolls past the minimum and back (where it does)."""
        k = self.run_of("momentum")
        passed = overshoot_share(self.study[k].trajectory, self.stage.scenario.minimum)
        words = (self.labels.overshoot if passed > self.settings.optimizers.overshoot_share
                 else self.labels.momentum_note)
        self.beat("overshoot", self.settings.optimizers.overshoot,
                  *self.highlight(k), *self.swap_caption(words))
        mark_key_moment(self, "overshoot")
        self.hold("overshoot_hold", self.settings.optimizers.overshoot_hold)

    # ---------------------------------------------------------------- 4. from above
    def top_view_scale(self) -> float:
        """Screen length of one scene unit in the top view at zoom 1 (measured by projecting)."""
        cam, camera_settings = self.camera, self.stage.settings.camera
        trackers = (cam.phi_tracker, cam.theta_tracker, cam.focal_distance_tracker,
                    cam.zoom_tracker)
        saved = [tracker.get_value() for tracker in trackers]
        center = cam._frame_center.get_center()
        for tracker, value in zip(trackers, (camera_settings.top_phi * DEG,
                                             camera_settings.top_theta * DEG,
                                             camera_settings.top_focal_distance,
                                   1.0), strict=True):
            tracker.set_value(value)
        cam._frame_center.move_to(np.zeros(3))
        cam.reset_rotation_matrix()
        z = self.stage.l_range[0]
        projected = cam.project_points(np.array([[0.0, 0.0, z], [1.0, 0.0, z]]))
        for tracker, value in zip(trackers, saved, strict=True):
            tracker.set_value(value)
        cam._frame_center.move_to(center)
        cam.reset_rotation_matrix()
        return float(np.linalg.norm(projected[1] - projected[0]))

    def free_area(self) -> tuple[np.ndarray, np.ndarray]:
        """Lower-left and upper-right screen corners left free by the title, legend and caption."""
        style, frame = self.settings.style, current_frame()
        caption_room = (self.settings.optimizers.caption_room
                        if frame.orientation == "landscape" else STACKED_CAPTION_ROOM)
        lo = np.array([-frame.width / 2 + style.edge_buff,
                       -frame.height / 2 + style.edge_buff + caption_room])
        hi = np.array([frame.width / 2 - style.edge_buff,
                       self.title.get_bottom()[1] - style.gap])
        if self.legend_beside:
            lo[0] = self.legend.get_right()[0] + style.gap
        else:
            hi[1] = self.legend.get_bottom()[1] - style.gap
        return lo, hi

    def frame_on(self, corners: np.ndarray, fill: float) -> tuple[float, np.ndarray]:
        """Top-view zoom and frame centre that fit scene `corners` (k, 3) into the free area."""
        lo, hi = self.free_area()
        k = self.top_view_scale()
        size = np.ptp(corners[:, :2], axis=0)
        zoom = fill * min((hi - lo)[0] / (k * size[0]), (hi - lo)[1] / (k * size[1]))
        mid = (corners[:, :2].min(axis=0) + corners[:, :2].max(axis=0)) / 2
        # The screen shows k·zoom·(p − centre): put the box's middle on the free area's.
        center = mid - (lo + hi) / 2 / (k * zoom)
        return zoom, np.array([center[0], center[1], 0.0])

    def look_from_above(self) -> None:
        """Level lines on the surface, the camera rises to an orthographic top view."""
        stage, camera_settings = self.stage, self.stage.settings.camera
        tuning = self.settings.optimizers
        contours = self.contour_set(self.axes, stage, at_height=True)
        self.swap_caption(self.labels.from_above)  # placed now: the free area needs it
        (w0, w1), (b0, b1) = stage.scenario.w_range, stage.scenario.b_range
        box = scene_points(self.axes, np.array([w0, w1]), np.array([b0, b1]), stage.l_range[0])
        self.map_zoom, self.map_center = self.frame_on(box, tuning.map_fill)
        cam = self.camera
        phi0, theta0 = cam.get_phi(), cam.get_theta()
        focal0, focal1 = camera_settings.focal_distance, camera_settings.top_focal_distance
        zoom0, zoom1 = cam.get_zoom(), self.map_zoom
        offset0 = np.array(cam.screen_offset, dtype=float)

        def rise(_mob: object, alpha: float) -> None:
            eased = smooth(alpha)
            cam.set_phi(phi0 + eased * (camera_settings.top_phi * DEG - phi0))
            cam.set_theta(theta0 + eased * (camera_settings.top_theta * DEG - theta0))
            # Interpolate 1/f (the strength of perspective), so the flattening is even.
            cam.set_focal_distance(1.0 / ((1 - eased) / focal0 + eased / focal1))
            cam.set_zoom(zoom0 + eased * (zoom1 - zoom0))
            cam._frame_center.move_to(eased * self.map_center)
            cam.screen_offset = (1 - eased) * offset0
            self.layer_balls()

        self.beat("rise", self.settings.optimizers.rise, UpdateFromAlphaFunc(cam.phi_tracker, rise),
                  self.surface.animate.set_fill(opacity=0), FadeIn(contours),
                  *self.highlight(None), *self.caption_swap, rate_func=linear)
        self.remove(self.surface)
        self.hold("map_hold", self.settings.optimizers.map_hold)

    def point_out_sign_route(self) -> None:
        """Zoom to the start: Adam's first steps on the 45° line, and the gradient there."""
        tuning, stage, style = self.settings.optimizers, self.stage, self.settings.style
        k = self.run_of("adam")
        traj = self.study[k].trajectory
        w0, b0 = traj.w[0], traj.b[0]
        z = stage.l_range[0]
        # The sign route: both coordinates move by the same amount, as far as the window goes.
        dw, db = np.sign(traj.w[1] - w0), np.sign(traj.b[1] - b0)
        (w_low, w_high), (b_low, b_high) = stage.scenario.w_range, stage.scenario.b_range
        room = min((w_high - w0) if dw > 0 else (w0 - w_low),
                   (b_high - b0) if db > 0 else (b0 - b_low))
        reach = min(tuning.guide_length / np.sqrt(2.0), room)
        start = scene_points(self.axes, w0, b0, z)
        guide_end = scene_points(self.axes, w0 + dw * reach, b0 + db * reach, z)
        # The direction of steepest descent there, for comparison.
        g = np.array([traj.grad_w[0], traj.grad_b[0]])
        tip = -0.6 * tuning.guide_length * g / np.linalg.norm(g)
        end = scene_points(self.axes, w0 + tip[0], b0 + tip[1], z)
        # Frame the start, the first steps, the guide and the arrow.
        first = scene_points(self.axes, traj.w[:tuning.sign_frame_steps],
                             traj.b[:tuning.sign_frame_steps], z)
        zoom, center = self.frame_on(np.vstack([first, guide_end[None], end[None]]),
                                     tuning.sign_fill)
        # Marks sized on screen: a scene length L shows as L · screen_scale.
        screen_scale = self.top_view_scale() * zoom
        guide = DashedLine(start, guide_end, color=self.colors[k], stroke_width=3,
                           dash_length=tuning.mark_dash / screen_scale)
        arrow = Arrow(start, end, buff=0, color=self.theme.gradient, stroke_width=5,
                      tip_length=tuning.mark_tip / screen_scale)
        grad_label = self.tex(r"-\nabla l", style.tex_font / screen_scale, self.theme.gradient)
        grad_label.next_to(end, (end - start) / np.linalg.norm(end - start),
                           buff=0.1 / screen_scale)
        self.marks = VGroup(guide, arrow, grad_label)
        self.beat("sign_route", self.settings.optimizers.sign_route,
                  *self.highlight(k), FadeOut(self.cross),
                  self.camera._frame_center.animate.move_to(center),
                  self.camera.zoom_tracker.animate.set_value(zoom),
                  Create(guide), GrowArrow(arrow), FadeIn(grad_label),
                  *self.swap_caption(self.labels.sign_route))
        mark_key_moment(self, "sign_route")
        self.hold("sign_route_hold", self.settings.optimizers.sign_route_hold)

    def close(self) -> None:
        """Back to the whole map with every trail, and the closing line."""
        self.beat("closing", self.settings.optimizers.closing,
                  *self.highlight(None), FadeOut(self.marks), FadeIn(self.cross),
                  self.camera._frame_center.animate.move_to(self.map_center),
                  self.camera.zoom_tracker.animate.set_value(self.map_zoom),
                  *self.swap_caption(self.labels.opt_closing))
        self.hold("closing_hold", self.settings.optimizers.closing_hold)
