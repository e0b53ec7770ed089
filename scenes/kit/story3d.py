"""The 3D story: model, valley, roll, view from above, right angles, floor."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from manim import (
    DL,
    DOWN,
    DR,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    BackgroundRectangle,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    Line,
    MathTex,
    Mobject,
    UpdateFromAlphaFunc,
    ValueTracker,
    VGroup,
    Wait,
    Write,
    linear,
)

from scenes.kit.axes import scene_points
from scenes.kit.colorbar import LossScale, scale_numbers
from scenes.kit.descent_study import DEG, RollTimeline, outline, rise_turn, scaled_extent
from scenes.kit.layout import (
    Box,
    Extent,
    StoryLayout,
    fill_factor,
    fit_factor,
    fit_text,
    note_scale,
    polyline_at,
    projected_extent,
    union_extent,
)
from scenes.kit.mobjects import (
    ContourSet,
    ScreenCross,
    SurfacePath,
    downhill_tangents,
    make_ball,
    make_mesh_surface,
)
from scenes.kit.planned import PlannedScene3D, Within
from scenes.kit.sci import tex_number
from scenes.kit.story_camera import RollFraming, ease_camera, roll_framing
from scenes.kit.story_hud import StoryHud
from scenes.kit.story_parts import StoryParts
from scenes.kit.story_seed import SeedBeats
from scenes.kit.theme import current_frame


class StoryScene(SeedBeats, StoryParts, StoryHud, PlannedScene3D):
    """The 3D story: model, valley, roll, view from above, right angles, floor."""

    def prepare(self) -> None:
        """The study, the roll's timeline, the layout and the first camera pose."""
        super().prepare()
        study = self.stage
        self.axes = study.axes
        self.timeline = RollTimeline.build(study)
        self.layout = self.make_layout()
        if self.layout.stacked:
            self.camera.screen_offset = np.array(self.layout.view_center[:2], dtype=float)
        camera_settings = self.settings.camera
        self.set_camera_orientation(phi=camera_settings.valley_phi * DEG,
                                    theta=self.timeline.theta0 * DEG,
                                    focal_distance=camera_settings.focal_distance,
                                    zoom=self.roll_zoom(0.0))

    # ---------------------------------------------------------------- layout
    def make_layout(self) -> StoryLayout:
        """The layout of the frame that renders (`scenes.kit.layout`).

        On a square or portrait frame the 3D view's extent is measured over every camera pose
        of the story (the orbit of the roll, the map from above) and the view is shrunk to fit
        in its room; during the roll the zoom and the view's place on screen follow smooth
        curves that keep the surface as large and steady as the room allows
        (`roll_framing`), and during the rise from the roll to the map the zoom dips where the
        tilted walls would reach further (`rise_zoom`). In landscape nothing is measured and
        nothing moves.
        """
        frame = current_frame()
        lay = self.settings.layout
        n = lay.extent_poses
        self.rise_alphas = np.linspace(0.0, 1.0, n)
        self.rise_zoom = np.ones(n)
        self.map_zoom = 1.0
        camera_settings = self.settings.camera
        self.roll_framing = RollFraming.still(camera_settings.valley_zoom, np.zeros(2))
        if frame.orientation == "landscape":
            return StoryLayout.for_frame(frame, lay)
        rolls, top, rise = self.view_extents()
        sizes = self.surface_sizes()
        layout = StoryLayout.for_frame(frame, lay,
                                       scaled_extent(union_extent(rolls),
                                                     camera_settings.valley_zoom),
                                       self.caption_height(), hud_sizes=self.hud_sizes(),
                                       scale_height=self.make_loss_scale(
                                           1.0, every_number=True).height)
        view_scale = layout.view_scale
        # Extents are measured about the screen's origin; the view is shifted to view_center.
        shift_x, shift_y = layout.view_center[:2]
        box = layout.view_box
        box = Box(box.left - shift_x, box.right - shift_x, box.bottom - shift_y, box.top - shift_y)
        # The map from above fills the room the valley had (the view from above is narrower
        # than the orbit's sweep); on the way up the zoom dips wherever the tilted walls reach
        # further.
        self.map_zoom = fill_factor(scaled_extent(top, camera_settings.top_zoom * view_scale), box)
        zoom0 = camera_settings.valley_zoom * view_scale
        self.roll_framing = RollFraming.still(zoom0, layout.view_center[:2])
        # The roll's zoom and offset: the surface as large and steady as its room allows.
        framing = roll_framing(
            [ease_camera(alpha) for alpha in self.rise_alphas], np.array(rolls), sizes,
            (layout.view_box.left, layout.view_box.right, layout.view_box.bottom,
             layout.view_box.top), layout.view_center[:2], lay.roll_zoom_degree,
            lay.roll_zoom_margin, lay.roll_spread_weight)
        if framing is not None:
            self.roll_framing = framing
        zoom0 = self.roll_zoom(self.timeline.duration)
        zoom1 = camera_settings.top_zoom * view_scale * self.map_zoom
        self.rise_zoom = np.array([
            fit_factor(scaled_extent(ext, zoom0 + ease_camera(alpha) * (zoom1 - zoom0)), box)
            for alpha, ext in zip(self.rise_alphas, rise, strict=True)])
        return layout

    def roll_zoom(self, tau: float) -> float:
        """The camera's zoom at time τ of the roll (before it: at τ = 0; after it: at its end)."""
        return self.roll_framing.at_progress(ease_camera(tau / self.timeline.duration))[0]

    def frame_roll(self, tau: float) -> None:
        """Set the zoom and (on stacked frames) the screen offset for time τ of the roll."""
        zoom, offset = self.roll_framing.at_progress(ease_camera(tau / self.timeline.duration))
        self.camera.set_zoom(zoom)
        if self.layout.stacked:
            self.camera.screen_offset = offset

    def top_zoom(self) -> float:
        """The camera's zoom for the map from above on this frame."""
        return self.settings.camera.top_zoom * self.layout.view_scale * self.map_zoom

    def surface_sizes(self) -> list[float]:
        """The surface's size on screen at the roll's sampled poses (as `view_extents`), zoom 1.

        The square root of the area of its bounding box: what its share of the frame grows with.
        """
        study, camera_settings, cam = self.stage, self.settings.camera, self.camera
        grid = scene_points(self.axes, study.surface.w[None, :], study.surface.b[:, None],
                            np.minimum(study.surface.L, study.l_range[1])).reshape(-1, 3)
        sizes = []
        for alpha in self.rise_alphas:
            phi, theta = self.timeline.camera_at(alpha * self.timeline.duration)
            self.set_camera_orientation(phi=phi * DEG, theta=theta * DEG,
                                        focal_distance=camera_settings.focal_distance, zoom=1.0)
            cam.reset_rotation_matrix()
            x_min, x_max, y_min, y_max = projected_extent(cam.project_points, grid, [lambda: None])
            sizes.append(float(np.sqrt((x_max - x_min) * (y_max - y_min))))
        return sizes

    def view_extents(self) -> tuple[list[Extent], Extent, list[Extent]]:
        """Screen extents of the valley, its axes and axis labels, at camera zoom 1.

        Returns the extents at sampled moments of the roll (the eased progress at
        ``rise_alphas``: the times ``rise_alphas`` of its duration), the extent of the map from
        above, and the extent at each sampled moment of the rise between them.
        """
        settings, study, timeline = self.settings, self.stage, self.timeline
        camera_settings, cam = self.settings.camera, self.camera
        grid = scene_points(self.axes, study.surface.w[None, :], study.surface.b[:, None],
                            np.minimum(study.surface.L, study.l_range[1])).reshape(-1, 3)
        ends = [axis.get_end() + settings.sizes.axis_label_buff * axis.get_unit_vector()
                for axis in self.axes.get_axes()]
        points = np.vstack([grid, self.axes.get_all_points(), np.array(ends)])

        def pose(phi: float, theta: float, focal: float) -> Callable[[], None]:
            def apply() -> None:
                self.set_camera_orientation(phi=phi * DEG, theta=theta * DEG,
                                            focal_distance=focal, zoom=1.0)
                cam.reset_rotation_matrix()
            return apply

        def extent(*poses: Callable[[], None]) -> Extent:
            return projected_extent(cam.project_points, points, poses)

        roll = [extent(pose(*timeline.camera_at(alpha * timeline.duration),
                            camera_settings.focal_distance)) for alpha in self.rise_alphas]
        top = extent(pose(camera_settings.top_phi, camera_settings.top_theta,
                          camera_settings.top_focal_distance))
        phi0, theta0 = timeline.camera_at(timeline.duration)
        rise = []
        for alpha in self.rise_alphas:
            eased = ease_camera(alpha)
            rise.append(extent(pose(phi0 + eased * (camera_settings.top_phi - phi0),
                                    theta0 + eased * rise_turn(theta0, camera_settings.top_theta),
                                    1.0 / ((1 - eased) / camera_settings.focal_distance
                                           + eased / camera_settings.top_focal_distance))))
        return roll, top, rise

    # ---------------------------------------------------------------- helpers
    # ---------------------------------------------------------------- 1. the model
    def show_model(self) -> None:
        """Title, the model and its loss in TeX, then the data panel with the first fit."""
        settings, study, lab = self.settings, self.stage, self.stage.labels
        title = fit_text(study.scenario.title if study.cfg.language == "en" else lab.model,
                         lambda line: self.text(line, settings.sizes.title_font),
                         current_frame().width - 2 * settings.layout.edge_buff, settings.layout)
        underline = Line(title.get_corner(DL), title.get_corner(DR), color=settings.colors.ball,
                         stroke_width=settings.sizes.arrow_width).shift(
                             DOWN * settings.layout.label_gap)
        # The title is there from the first frame: a video never opens on a blank frame.
        self.fix(title, underline)
        self.add(title)
        self.beat("title", self.settings.durations.title, Create(underline))
        self.hold("title_hold", self.settings.durations.title_hold)
        eqs = self.model_equations()
        eqs.next_to(title, DOWN, buff=settings.layout.equations_gap)
        self.fix(eqs)
        self.beat("equations", self.settings.durations.equations, Write(eqs))
        self.hold("equations_hold", self.settings.durations.equations_hold)
        self.model_block = eqs
        self.build_panels()
        if self.layout.stacked:
            # No room for the model in the top band's row at a readable size: the data panel
            # shows its fit from here on, and the row keeps the update rule and the numbers.
            self.model_block = None
            to_hud = FadeOut(eqs)
        else:
            to_hud = eqs.animate.become(self.model_in_corner(eqs))
        # The title goes first: the model's way to its corner crosses it, and on a stacked
        # frame the data panel comes where it was (and where the model was, which leaves then).
        first = [FadeOut(title), FadeOut(underline)]
        then = [FadeIn(self.data_panel), FadeIn(self.data_caption)]
        (first if self.layout.stacked else then).append(to_hud)
        half = self.settings.durations.to_corner_title_share
        self.beat("to_corner", self.settings.durations.to_corner,
                  *(Within(anim, 0.0, half) for anim in first),
                  *(Within(anim, half, 1.0) for anim in then))

    # ---------------------------------------------------------------- 2. the valley
    def build_valley(self) -> None:
        """Create (without showing) the axes, surface, ✕, ball, trail and HUD."""
        settings, study = self.settings, self.stage
        if not hasattr(self, "data_panel"):
            self.build_panels()
        self.labels3d = self.axis_labels()
        self.map_numbers = self.map_tick_numbers()
        self.surface = make_mesh_surface(self.axes, study.surface_mesh, study.l_range,
                                         settings.mesh.colormap, settings.mesh.fill_opacity)
        self.cross = self.start_marker()
        self.ball = make_ball(study.ball_centers[0], settings.sizes.ball_radius,
                              settings.colors.ball,
                              settings.sizes.on_surface_depth_offset
                              + 2 * settings.sizes.ball_radius)
        # Pieces about a drawn face long: the depth sort can use nothing finer.
        grid = self.surface.get_grid()
        face = min(float(np.median(np.linalg.norm(np.diff(grid, axis=axis), axis=-1)))
                   for axis in (0, 1))
        self.trail = SurfacePath(study.trail_points, study.inside, len(study.trail_points),
                                 settings.colors.trail, settings.sizes.trail_width,
                                 settings.sizes.on_surface_depth_offset,
                                 max_length=settings.mesh.trail_piece_faces * face)
        self.trail.show_until(0)
        self.build_hud()

    def make_loss_scale(self, width: float, every_number: bool = False) -> LossScale:
        """The loss scale (colour bar) with a bar `width` long, not placed.

        On a portrait frame, short of height, its title is left of the bar, not above it.
        `every_number` keeps the numbers that would touch (`LossScale` leaves them out): the
        height that room must be made for, whichever numbers the drawn scale keeps.
        """
        settings, study = self.settings, self.stage
        notes = note_scale(current_frame(), settings.layout)
        title = self.text(study.labels.loss_scale, notes * settings.sizes.small_font,
                          settings.colors.muted)
        return LossScale(study.l_range, settings.mesh.colormap, width,
                         settings.sizes.scale_height, title,
                         scale_numbers(notes * settings.sizes.hud_font, settings.colors.muted),
                         settings.colors.axes,
                         title_beside=current_frame().orientation == "portrait",
                         title_gap=settings.layout.scale_title_gap,
                         number_gap=-np.inf if every_number else settings.layout.label_gap)

    def loss_scale_anims(self) -> list[object]:
        """Show the loss scale (colour bar) where it fits.

        Between the panels in landscape, in its box under the panels on a square or portrait
        frame.
        """
        settings = self.settings
        if self.layout.stacked:
            box = self.layout.scale_box
            # The title (beside it) and the end numbers stick out of the bar: shorten it so that
            # they stay in the box.
            width = settings.sizes.stacked_scale_width
            scale = self.make_loss_scale(width)
            scale = self.make_loss_scale(width - max(0.0, scale.width - box.width))
            if scale.height > box.height + 1e-6:
                return []
            scale.move_to(box.center)
        else:
            scale = self.make_loss_scale(settings.sizes.scale_width)
            top, bottom = self.data_panel.get_bottom()[1], self.loss_caption.get_top()[1]
            if top - bottom < scale.height + 2 * settings.layout.label_gap:
                return []
            scale.move_to([self.data_panel.get_right()[0] - scale.width / 2,
                           0.5 * (top + bottom), 0.0])
        self.loss_scale = scale
        self.fix(scale)
        return [FadeIn(scale)]

    def start_marker(self) -> ScreenCross:
        """The ✕ at (w₀, b₀, l₀), facing the camera in every view (the top view included)."""
        settings, study = self.settings, self.stage
        w0, b0 = study.scenario.start
        center = scene_points(self.axes, w0, b0, study.problem.loss(w0, b0))
        cross = ScreenCross(center, settings.sizes.cross_half_width * self.layout.label_scale,
                            settings.colors.cross, settings.colors.background,
                            settings.sizes.cross_width,
                            settings.sizes.text_outline, settings.sizes.on_surface_depth_offset
                            + 2 * settings.sizes.ball_radius)
        self.face_camera(cross)
        return cross

    def show_valley(self) -> None:
        """Axes, the shaded loss surface, the ✕ at the start, the ball and the HUD."""
        self.build_valley()
        if self.data_panel not in self.mobjects:
            self.add(self.data_panel, self.data_caption)
        self.beat("axes", self.settings.durations.axes, Create(self.axes), FadeIn(self.labels3d))
        self.beat("surface", self.settings.durations.surface, FadeIn(self.surface),
                  *self.loss_scale_anims())
        self.add(self.trail)
        self.beat("start_mark", self.settings.durations.start_mark, Create(self.cross),
                  FadeIn(self.ball))
        self.beat("hud", self.settings.durations.hud,
                  FadeIn(self.hud), FadeIn(self.loss_curve), FadeIn(self.loss_caption),
                  *self.swap_caption(self.stage.labels.rolling))
        self.hold("valley_hold", self.settings.durations.valley_hold)

    def axis_labels(self) -> VGroup:
        """w, b, l at the ends of the axes, always facing the camera."""
        settings = self.settings
        out = VGroup()
        for axis, name in zip(self.axes.get_axes(), ("w", "b", "l"), strict=True):
            lab = MathTex(name, font_size=settings.sizes.label_font * self.layout.label_scale,
                          color=settings.colors.text)
            direction = axis.get_unit_vector()
            lab.move_to(axis.get_end() + settings.sizes.axis_label_buff * direction)
            # Where the surface is behind it, the outline keeps it legible.
            outline(lab, settings)
            self.face_camera(lab)
            out.add(lab)
        return out

    # ---------------------------------------------------------------- 3. rolling down
    def roll_ball(self) -> None:
        """The ball rolls along the exact trajectory while the camera orbits; HUD in sync."""
        timeline, cam = self.timeline, self.camera
        self.clock = ValueTracker(0.0)
        self.build_gradient_arrows()
        driver = Mobject()
        driver.add_updater(lambda _mob: self.show_roll_state(self.clock.get_value()))
        self.add(driver)
        duration = timeline.duration
        self.beat(
            "roll", duration,
            UpdateFromAlphaFunc(self.clock, lambda mob, alpha: mob.set_value(alpha * duration)),
            UpdateFromAlphaFunc(cam.phi_tracker,
                                lambda mob, alpha: mob.set_value(
                                    timeline.camera_at(alpha * duration)[0] * DEG)),
            UpdateFromAlphaFunc(cam.theta_tracker,
                                lambda mob, alpha: mob.set_value(
                                    timeline.camera_at(alpha * duration)[1] * DEG)),
            UpdateFromAlphaFunc(cam.zoom_tracker,
                                lambda _mob, alpha: self.frame_roll(alpha * duration)),
            rate_func=linear, windowed=True,
        )
        driver.clear_updaters()
        self.remove(driver, *self.grad_arrows)
        self.roll_hold()
        ending = self.stage.outcome_caption
        if ending is not None:
            if self.layout.stacked:
                # The bottom band holds the panels: say it in the caption's place instead.
                self.beat("diverged", self.settings.durations.diverged_label,
                          *self.swap_caption(ending, self.settings.colors.diverged))
            else:
                label = self.text(ending, self.settings.sizes.hud_font,
                                  self.settings.colors.diverged)
                label.to_edge(DOWN, buff=self.settings.layout.edge_buff)
                self.fix(label)
                self.ending_label = label
                self.beat("diverged", self.settings.durations.diverged_label, FadeIn(label))
            self.hold("diverged_hold", self.settings.durations.roll_hold)

    def roll_hold(self) -> None:
        """The pause after the roll; a path that bent says so in the roll caption's place."""
        if self.stage.path_bends:
            self.beat("bend", self.settings.durations.bend,
                      *self.swap_caption(self.stage.labels.bend))
            self.hold("bend_hold", self.settings.durations.bend_hold)
        else:
            self.hold("roll_hold", self.settings.durations.roll_hold)

    def build_gradient_arrows(self) -> None:
        """Screen-space arrows along −∇l at the explained steps, and their labels."""
        settings, study = self.settings, self.stage
        self.grad_arrows: list[VGroup] = []
        for _ in range(self.timeline.explained):
            arrow = Arrow(LEFT, RIGHT, buff=0, color=settings.colors.gradient,
                          stroke_width=settings.sizes.gradient_arrow_width)
            lab = MathTex(r"-\nabla l",
                          font_size=settings.sizes.label_font * self.layout.label_scale,
                          color=settings.colors.gradient)
            outline(lab, settings)
            group = VGroup(arrow, lab).set_opacity(0)
            self.fix(group)
            self.add(group)
            self.grad_arrows.append(group)
        n = settings.mesh.samples_per_step
        idx = [k * n for k in range(self.timeline.explained)]
        g = study.sample_gradients[idx] if idx else np.zeros((0, 2))
        self.grad_dirs = downhill_tangents(self.axes, g[:, 0], g[:, 1]) if idx else g

    def show_roll_state(self, tau: float) -> None:
        """Put everything where the timeline says it is at τ (called every frame)."""
        study, timeline = self.stage, self.timeline
        progress = timeline.progress(tau)
        k = study.sample_index(progress)
        inside = bool(study.inside[k])
        self.ball.move_to(study.ball_centers[k])
        self.ball.set_fill(opacity=1.0 if inside else 0.0)
        self.trail.show_until(k + 1)
        # The readout names iterate t (wₜ, bₜ, l(wₜ, bₜ)): it shows that iterate exactly and
        # changes when the ball reaches the next one, as the descent itself steps.
        i = min(int(np.floor(progress)), study.traj.n_steps)
        self.readout.set_values(i, study.traj.w[i], study.traj.b[i], study.traj.loss[i])
        self.loss_curve.set_progress(progress)
        self.data_panel.set_fit(*study.fit_curve(study.samples[k, 0], study.samples[k, 1]))
        self.camera.reset_rotation_matrix()
        for j, group in enumerate(self.grad_arrows):
            opacity = timeline.arrow_opacity(j, tau)
            if opacity <= 0:
                group.set_opacity(0)
                continue
            base = study.trail_points[j * self.settings.mesh.samples_per_step]
            tip = base + self.settings.sizes.gradient_arrow_length * self.grad_dirs[j]
            screen_base, screen_tip = (self.camera.project_point(point)[:2]
                                       for point in (base, tip))
            if not (np.isfinite(screen_tip).all()
                    and np.linalg.norm(screen_tip - screen_base) > 1e-6):
                # ∇l = 0 here (a plateau, a saturated sigmoid): there is no downhill to show.
                group.set_opacity(0)
                continue
            arrow, lab = group
            arrow.become(Arrow(np.append(screen_base, 0), np.append(screen_tip, 0), buff=0,
                               color=self.settings.colors.gradient,
                               stroke_width=self.settings.sizes.gradient_arrow_width))
            outline(arrow, self.settings)
            lab.next_to(arrow.get_end(),
                        np.append(screen_tip - screen_base, 0)
                        / np.linalg.norm(screen_tip - screen_base),
                        buff=self.settings.sizes.gradient_label_buff)
            group.set_opacity(opacity)
        # set_value and become made new submobjects: pin them now, since manim may render a
        # frame (the last of a play, a frozen hold) without running the scene's updaters again.
        self.refix()

    # ---------------------------------------------------------------- 4. from above
    def look_from_above(self) -> None:
        """Level lines appear on the surface; the camera rises to a top-down map view."""
        settings, study, camera_settings = self.settings, self.stage, self.settings.camera
        self.contours = ContourSet(self.axes, study.contour_levels, study.l_range,
                                   settings.mesh.colormap, settings.sizes.contour_width,
                                   at_height=True, color_floor=settings.mesh.contour_color_floor)
        self.beat("contours", self.settings.durations.contours,
                  Create(self.contours, lag_ratio=settings.durations.lag_ratio),
                  *self.swap_caption(study.labels.from_above))
        cam = self.camera
        phi0, theta0 = cam.get_phi(), cam.get_theta()
        focal0, focal1 = camera_settings.focal_distance, camera_settings.top_focal_distance
        zoom0, zoom1 = cam.get_zoom(), self.top_zoom()
        turn = rise_turn(theta0 / DEG, camera_settings.top_theta) * DEG

        def rise(_mob: Mobject, alpha: float) -> None:
            eased = ease_camera(alpha)
            cam.set_phi(phi0 + eased * (camera_settings.top_phi * DEG - phi0))
            cam.set_theta(theta0 + eased * turn)
            # Interpolate the perspective strength 1/f, not f: the flattening is then even.
            cam.set_focal_distance(1.0 / ((1 - eased) / focal0 + eased / focal1))
            cam.set_zoom((zoom0 + eased * (zoom1 - zoom0)) * np.interp(alpha, self.rise_alphas,
                                                                       self.rise_zoom))

        # The w label goes down past the last number first, then along under the numbers: the
        # straight way to its place crossed the numbers as they faded in.
        w_label = self.labels3d[0]
        start, target = w_label.get_center(), self.w_label_on_map()
        b_dir = self.b_direction()
        w_path = polyline_at([start, start + np.dot(target - start, b_dir) * b_dir, target])
        self.beat("rise", self.settings.durations.rise, UpdateFromAlphaFunc(cam.phi_tracker, rise),
                  self.surface.animate.set_fill(opacity=0),
                  # The l label is gone before the numbers come where it was.
                  Within(FadeOut(self.labels3d[2]), 0.0, settings.durations.rise_l_label_share),
                  Within(FadeIn(self.map_numbers), settings.durations.rise_l_label_share, 1.0),
                  UpdateFromAlphaFunc(w_label, lambda mob, alpha: mob.move_to(w_path(alpha))),
                  rate_func=linear)
        self.remove(self.surface)
        self.hold("map_hold", self.settings.durations.map_hold)

    def w_label_on_map(self) -> np.ndarray:
        """Where the w label goes from above: under the middle of its axis, below the numbers.

        Beyond the end, where it sits in 3D, it would land on the loss panel; under the end,
        on the last tick's number.
        """
        below = (self.settings.layout.map_number_buff + self.map_numbers[0].height
                 + self.settings.layout.label_gap + 0.5 * self.labels3d[0].height) / self.top_zoom()
        return self.axes.get_axes()[0].get_center() - below * self.b_direction()

    def b_direction(self) -> np.ndarray:
        """The unit vector along the b axis in scene space."""
        b_dir = self.axes.get_axes()[1].get_unit_vector()
        # A NumberLine's "unit vector" is one unit of b, not of length 1.
        return b_dir / np.linalg.norm(b_dir)

    # ---------------------------------------------------------------- 5. right angles
    def map_z(self) -> float:
        """The l coordinate of the map plane (the floor of the box)."""
        return self.stage.l_range[0]

    # ---------------------------------------------------------------- 6. the floor
    def show_floor(self) -> None:
        """The minimum from gdmath, marked, and a closing line."""
        settings, study = self.settings, self.stage
        floor = study.floor
        anims: list[object] = []
        if study.floor_visible:
            point = scene_points(self.axes, floor.w, floor.b, self.map_z())
            dot = Dot(point, radius=settings.sizes.floor_dot_radius, color=settings.colors.floor)
            lab = self.text(study.labels.floor, settings.sizes.small_font, settings.colors.floor)
            value = MathTex(rf"(w^*, b^*) = ({tex_number(floor.w)},\ {tex_number(floor.b)})",
                            font_size=settings.sizes.hud_font, color=settings.colors.floor)
            group = VGroup(lab, value).arrange(DOWN, buff=settings.layout.label_gap)
            # Below the dot, unless the floor is near the bottom of the map (the closing line).
            b0, b1 = study.scenario.b_range
            side = UP if floor.b < b0 + 0.3 * (b1 - b0) else DOWN
            group.next_to(dot, side, buff=settings.layout.floor_label_buff)
            outline(group, settings)
            # On a plate of the background: the level lines stop at its edge, not in the words.
            plate = BackgroundRectangle(group, color=settings.colors.background,
                                        fill_opacity=settings.colors.plate_opacity,
                                        buff=settings.layout.label_gap)
            self.floor_marker = VGroup(dot, plate, group)
            anims += [FadeIn(dot, scale=0.5), FadeIn(plate), FadeIn(group)]
        elif study.no_floor_caption is not None:
            # No verified minimum: say what is there instead of marking a false floor.
            anims += self.swap_caption(study.no_floor_caption, settings.colors.floor)
        else:
            # A floor outside the view: keep the beat so the plan stays the same.
            anims.append(Wait())
        self.beat("floor", self.settings.durations.floor, *anims)
        # A diverged run ends on its label, not on a line about a slope it ran away from.
        last = study.labels.diverged if study.traj.diverged else study.labels.closing
        color = settings.colors.diverged if study.traj.diverged else None
        shown = getattr(self, "ending_label", None)
        if shown is not None and study.traj.diverged:
            self.beat("closing", self.settings.durations.closing, Wait())
        else:
            # The closing line takes the caption's place: at the bottom it would run into the
            # w label under its axis (and on stacked frames the bottom band holds the panels).
            gone = [FadeOut(shown)] if shown is not None else []
            self.beat("closing", self.settings.durations.closing,
                      *self.swap_caption(last, color), *gone)
        self.hold("closing_hold", self.settings.durations.closing_hold)
