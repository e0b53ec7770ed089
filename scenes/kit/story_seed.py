"""The seed's three further ideas as step methods of the main video (mixed into `StoryScene`).

* `show_slice` and `free_b`: one parameter first. With b fixed at the start's b₀ the loss is
  a curve l(w), seen from the side, and a ball descends it with w ← w − η ∂l/∂w; then b is freed,
  the camera turns to the valley and the surface grows out of the curve, one slice of it.
* `ghost_landscape`, `roll_known` and `reveal_landscape`: the landscape as the descent knows it.
  During the roll only the band of the surface within a radius of the path so far is drawn (its
  edge cut smoothly at that radius), with the gradient arrow at the ball; then the whole
  surface is revealed. ``GDVIZ_LANDSCAPE=full`` (or ``[video] landscape = "full"``) keeps the
  whole surface throughout.
* `show_detour`: on the map, the straight segment from the start to the floor (dashed) and the
  level line through the start, which the path never leaves and the segment does.
"""

from __future__ import annotations

from functools import cached_property
from typing import ClassVar

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    MathTex,
    Mobject,
    UpdateFromAlphaFunc,
    VGroup,
    VMobject,
    linear,
)

import gdmath
from scenes.kit.axes import scene_points
from scenes.kit.descent_study import DEG, outline
from scenes.kit.labels import labels_for
from scenes.kit.labels.fields import SeedLabels
from scenes.kit.mobjects import (
    colormap_rgb,
    downhill_tangents,
    height_fraction,
    make_ball,
    make_mesh_surface,
)
from scenes.kit.render3d.shading import set_sort_depth_offset
from scenes.kit.render3d.surface import FastSurface
from scenes.kit.seed_study import SeedStudy
from scenes.kit.story_camera import camera_moves, ease_camera, free_b_growth


class SeedBeats:
    """Mixin of `StoryScene`: the beats of the one-parameter opening, known landscape, detour."""

    @cached_property
    def seed(self) -> SeedStudy:
        """The numbers of these beats (from gdmath, through the scene's study)."""
        return SeedStudy(self.stage)

    @property
    def seed_labels(self) -> SeedLabels:
        """Their prose in the video's language."""
        return labels_for(self.language).seed

    #: Whether ``construct`` plays the seed's beats (the main video does; the valley alone not).
    plays_seed_beats: ClassVar[bool] = False

    def seed_captions(self) -> list[str]:
        """The captions of the seed's beats this run shows: the top band must hold the tallest.

        On a square or portrait frame a two-line caption the band had no room for ran over the
        HUD row under it (the known landscape's, in Japanese at 1:1).
        """
        if not self.plays_seed_beats:
            return []
        lab = self.seed_labels
        words = [lab.one_parameter, lab.slice_roll, lab.free_b]
        if self.knows_only_its_path:
            words += [lab.known, lab.reveal]
        if self.seed.detour is not None:
            words.append(lab.detour)
        return words

    @property
    def knows_only_its_path(self) -> bool:
        """The roll shows only where the descent has been (``GDVIZ_LANDSCAPE=known``)."""
        return self.video.landscape == "known"

    # ---------------------------------------------------------------- one parameter
    def build_slice(self) -> None:
        """The slice curve, the one-parameter ball and its update rule (not shown)."""
        settings, seed = self.settings, self.seed
        self.slice_curve = VMobject(stroke_color=settings.colors.level_line,
                                    stroke_width=settings.sizes.trail_width, shade_in_3d=True)
        self.slice_curve.set_points_as_corners(seed.slice_points())
        set_sort_depth_offset(self.slice_curve, settings.sizes.on_surface_depth_offset)
        self.slice_centers = seed.slice_ball_centers()
        self.slice_ball = make_ball(self.slice_centers[0], settings.sizes.ball_radius,
                                    settings.colors.ball,
                                    settings.sizes.on_surface_depth_offset
                                    + 2 * settings.sizes.ball_radius)
        rule = MathTex(r"w_{t+1} = w_t - \eta\,\frac{\partial l}{\partial w}",
                       font_size=settings.sizes.hud_font, color=settings.colors.text)
        fixed = MathTex(rf"b = b_0 = {seed.b0:.2f}", font_size=settings.sizes.hud_font,
                        color=settings.colors.level_line)
        self.slice_rule = VGroup(rule, fixed).arrange(DOWN, aligned_edge=LEFT,
                                                      buff=settings.layout.hud_gap)
        # On a stacked frame the HUD row is shrunk to fit: the 1D rule takes the 2D rule's size.
        self.slice_rule.scale(self.rule.height / self.make_rule().height)
        self.slice_rule.move_to(self.rule, aligned_edge=UP + LEFT)
        self.fix(self.slice_rule)

    def pose_slice(self) -> None:
        """The camera looks along b: the w and l axes read as a plain 2D plot."""
        camera_settings, tun = self.settings.camera, self.seed.tun
        self.set_camera_orientation(phi=tun.slice_phi * DEG, theta=tun.slice_theta * DEG,
                                    focal_distance=camera_settings.focal_distance,
                                    zoom=camera_settings.valley_zoom * self.layout.view_scale)

    def show_slice(self) -> None:
        """The w and l axes, the curve l(w) at b = b₀ and a ball descending it in 1D."""
        tun, lab = self.seed.tun, self.seed_labels
        self.build_valley()
        self.build_slice()
        if self.data_panel not in self.mobjects:
            self.add(self.data_panel, self.data_caption)
        self.pose_slice()
        w_axis, _, l_axis = self.axes.get_axes()
        self.beat("slice_axes", tun.slice_axes, Create(w_axis), Create(l_axis),
                  FadeIn(self.labels3d[0]), FadeIn(self.labels3d[2]),
                  *self.swap_caption(lab.one_parameter))
        self.beat("slice_curve", tun.slice_curve, Create(self.slice_curve),
                  FadeIn(self.slice_rule), FadeIn(self.slice_ball))
        centers = self.slice_centers
        last = len(centers) - 1

        w_of = self.seed.slice_samples[:, 0]

        def roll(_mob: Mobject, alpha: float) -> None:
            k = round(alpha * last)
            self.slice_ball.move_to(centers[k])
            self.data_panel.set_fit(*self.stage.fit_curve(w_of[k], self.seed.b0))

        self.beat("slice_roll", tun.slice_roll, UpdateFromAlphaFunc(self.slice_ball, roll),
                  *self.swap_caption(lab.slice_roll), rate_func=linear)
        self.hold("slice_hold", tun.slice_hold)

    def free_b(self) -> None:
        """The camera turns to the valley while the surface grows out of the slice.

        The camera's tilt and turn (the short way) are `story_camera`'s eased ``free_b`` move; the
        surface grows only once the tilt has brought the elevation into the camera's range, so
        it is never seen edge-on (`free_b_growth`).
        """
        settings, study, seed, cam = self.settings, self.stage, self.seed, self.camera
        tun = seed.tun
        grown = self.grown_mesh(0.0)
        self.add(grown)
        move = camera_moves(study, self.timeline, tun)[0]
        valley_phi = self.timeline.camera_at(0.0)[0]
        slice_zoom = cam.get_zoom()
        shown = [0.0]

        def grow(mob: Mobject, alpha: float) -> None:
            growth = free_b_growth(alpha, tun.slice_phi, valley_phi, settings.camera.max_phi)
            if growth != shown[0]:
                mesh = self.grown_mesh(growth)
                mob.points, mob.face_rgbs = mesh.points, mesh.face_rgbs
                shown[0] = growth
            phi, theta = move.pose(alpha)
            cam.set_phi(phi * DEG)
            cam.set_theta(theta * DEG)
            # From the slice's zoom to the roll's first (they differ on stacked frames).
            cam.set_zoom(slice_zoom + ease_camera(alpha) * (self.roll_zoom(0.0) - slice_zoom))

        self.beat("free_b", tun.free_b, UpdateFromAlphaFunc(grown, grow),
                  Create(self.axes.get_axes()[1]), FadeIn(self.labels3d[1]),
                  FadeOut(self.slice_ball), FadeOut(self.slice_rule),
                  *self.swap_caption(self.seed_labels.free_b), rate_func=linear)
        # At full growth the mesh is the surface's own grid: swap in the surface itself.
        self.remove(grown)
        self.add(self.axes, self.surface, self.trail)
        durations = settings.durations
        self.beat("start_mark", durations.start_mark, Create(self.cross), FadeIn(self.ball),
                  *self.loss_scale_anims())
        self.beat("hud", durations.hud, FadeIn(self.hud), FadeIn(self.loss_curve),
                  FadeIn(self.loss_caption), *self.swap_caption(study.labels.rolling))
        self.hold("valley_hold", durations.valley_hold)

    def grown_mesh(self, alpha: float) -> FastSurface:
        """The surface mesh over the b range grown by `alpha` from the slice."""
        settings, study = self.settings, self.stage
        return make_mesh_surface(self.axes, self.seed.grown_surface(alpha), study.l_range,
                                 settings.mesh.colormap, settings.mesh.fill_opacity)

    # ---------------------------------------------------------------- the known landscape
    def build_patches(self) -> None:
        """The surface near where the descent has been, as one mesh (`patches`, one band).

        The band is the surface within `patch_radius` of the path so far, cut along the curve
        at that distance (`gdmath.band_mesh`): its edge is smooth, where whole discs of faces
        made a toothed edge on steep walls. It is cut from a mesh over the path's window,
        `patch_cells` faces per radius, and follows the ball (`show_known_state`).
        """
        settings, study, seed = self.settings, self.stage, self.seed
        traj, tun = study.traj, seed.tun
        inside = study._in_window(traj.w, traj.b)
        self.band_path = np.column_stack([traj.w, traj.b])[inside]
        self.band_inside = inside
        self.band_radius = tun.patch_radius / seed.unit
        (w_lo, w_hi), (b_lo, b_hi) = study.scenario.w_range, study.scenario.b_range
        low = np.maximum(self.band_path.min(axis=0) - self.band_radius, (w_lo, b_lo))
        high = np.minimum(self.band_path.max(axis=0) + self.band_radius, (w_hi, b_hi))
        cells = int(np.ceil(np.max(high - low) / self.band_radius * tun.patch_cells))
        self.band_base = gdmath.surface_mesh(
            study.problem, (low[0], high[0]), (low[1], high[1]),
            settings.mesh.drawn_cells(min(cells, tun.patch_max_cells)) + 1,
            ceiling=study.l_range[1],
            refine=settings.mesh.surface_refine)
        base = self.band_base
        nodes = np.column_stack([base.w.ravel(), base.b.ravel()])
        # Nodes farther than the radius from the whole path are never in the band, nor next to
        # it when farther than the radius and a face's diagonal.
        diagonal = np.hypot(np.diff(base.w, axis=1).max(), np.diff(base.b, axis=0).max())
        self.band_candidates = np.flatnonzero(
            gdmath.polyline_distance(nodes, self.band_path) <= self.band_radius + diagonal)
        self.band_nodes = nodes[self.band_candidates]
        # The candidates' distances to the path through the iterates reached so far.
        self.band_reached = 1
        self.band_prefix = gdmath.polyline_distance(self.band_nodes, self.band_path[:1])
        self.band_shown: int | None = None
        # The axes map (w, b, l) to the scene affinely: once for the origin and each unit.
        corners = scene_points(self.axes, np.array([0.0, 1.0, 0.0, 0.0]),
                               np.array([0.0, 0.0, 1.0, 0.0]), np.array([0.0, 0.0, 0.0, 1.0]))
        self.band_map = (corners[0], corners[1:] - corners[0])
        points, colors, visible = self.band_state(0)
        band = FastSurface(points, face_colors=colors, fill_opacity=0.0, face_mask=visible,
                           shading="tone")
        self.patches: list[FastSurface] = [band]
        self.ball_arrow = Arrow(LEFT, LEFT * 0.5, buff=0, color=settings.colors.gradient,
                                stroke_width=settings.sizes.arrow_width).set_opacity(0)
        self.fix(self.ball_arrow)

    def band_state(self, sample: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Vertex grid, face colours and drawn faces of the band around the path up to `sample`.

        The ball is at `sample`: the band reaches the radius beyond it.
        """
        study, settings = self.stage, self.settings
        steps = int(np.floor(sample / settings.mesh.samples_per_step))
        reached = max(int(self.band_inside[:steps + 1].sum()), 1)
        if reached < self.band_reached:
            self.band_reached, self.band_prefix = 1, gdmath.polyline_distance(
                self.band_nodes, self.band_path[:1])
        if reached > self.band_reached:
            # The path only grows: the new segments' distances join the old ones.
            new = gdmath.polyline_distance(self.band_nodes,
                                           self.band_path[self.band_reached - 1:reached])
            self.band_prefix = np.minimum(self.band_prefix, new)
            self.band_reached = reached
        path = self.band_path[:reached]
        distance = self.band_prefix
        if study.inside[sample]:
            ball = study.samples[sample, :2]
            path = np.vstack([path, ball])
            distance = np.minimum(distance, gdmath.polyline_distance(self.band_nodes,
                                                                     path[-2:]))
        grid = np.full(self.band_base.L.size, np.inf)
        grid[self.band_candidates] = distance
        cut = gdmath.band_mesh(self.band_base, study.problem, path, self.band_radius,
                               grid.reshape(self.band_base.L.shape))
        origin, units = self.band_map
        coords = np.stack([cut.w, cut.b, np.minimum(cut.L, cut.ceiling)], axis=-1)
        colors = colormap_rgb(height_fraction(cut.face_loss, study.l_range),
                              settings.mesh.colormap)
        return origin + coords @ units, colors, cut.visible

    def ghost_landscape(self) -> None:
        """The surface fades to a ghost; only the disc at the start stays."""
        if not self.knows_only_its_path:
            self.beat("slice_off", self.seed.tun.ghost, FadeOut(self.slice_curve))
            return
        tun = self.seed.tun
        self.build_patches()
        self.add(*self.patches, self.ball_arrow)
        self.patches[0].set_fill(opacity=1.0)
        self.beat("ghost", tun.ghost, self.surface.animate.set_fill(opacity=tun.ghost_opacity),
                  FadeOut(self.slice_curve), *self.swap_caption(self.seed_labels.known))
        self.hold("ghost_hold", tun.ghost_hold)

    def show_known_state(self, tau: float) -> None:
        """Discs of the iterates reached by τ, and the gradient arrow at the ball."""
        study, timeline, settings = self.stage, self.timeline, self.settings
        progress = timeline.progress(tau)
        k = study.sample_index(progress)
        if k != self.band_shown:
            band = self.patches[0]
            points, colors, visible = self.band_state(k)
            band.points = points.reshape(-1, 3)
            band.face_rgbs, band.face_mask = colors.reshape(-1, 3), visible.reshape(-1)
            self.band_shown = k
        self.patches[0].set_fill(opacity=1.0)
        if (timeline.step_at(tau)[0] < timeline.explained or not study.inside[k]
                or k == len(study.samples) - 1):
            # The explained steps draw their own arrows; at the floor there is no slope.
            self.ball_arrow.set_opacity(0)
            return
        g = study.sample_gradients[k]
        base = study.trail_points[k]
        tip = base + settings.sizes.gradient_arrow_length * downhill_tangents(self.axes, *g)
        self.camera.reset_rotation_matrix()
        screen_base, screen_tip = (np.append(self.camera.project_point(point)[:2], 0)
                                   for point in (base, tip))
        if not (np.isfinite(screen_tip).all() and np.linalg.norm(screen_tip - screen_base) > 1e-6):
            # ∇l = 0 here (a plateau, a saturated sigmoid): there is no downhill to show.
            self.ball_arrow.set_opacity(0)
            return
        self.ball_arrow.become(Arrow(screen_base, screen_tip, buff=0,
                                     color=settings.colors.gradient,
                                     stroke_width=settings.sizes.arrow_width))
        self.refix()

    def roll_known(self) -> None:
        """The roll, with the landscape drawn only where the descent has been."""
        if not self.knows_only_its_path:
            self.roll_ball()
            return
        driver = Mobject()
        # roll_ball makes the clock; until then (and after it) the state at its time holds.
        driver.add_updater(lambda _mob: self.show_known_state(
            self.clock.get_value() if hasattr(self, "clock") else 0.0))
        self.add(driver)
        self.roll_ball()
        driver.clear_updaters()
        self.remove(driver, self.ball_arrow)

    def reveal_landscape(self) -> None:
        """The whole surface appears over the discs the descent knew."""
        if not self.knows_only_its_path:
            return
        tun = self.seed.tun
        self.beat("reveal", tun.reveal, self.surface.animate.set_fill(opacity=1.0),
                  *(FadeOut(patch) for patch in self.patches),
                  *self.swap_caption(self.seed_labels.reveal))
        self.hold("reveal_hold", tun.reveal_hold)

    # ---------------------------------------------------------------- the detour
    def build_detour(self) -> VGroup:
        """The dashed straight segment, the level line through the start and the hill's dot."""
        settings, study, detour = self.settings, self.stage, self.seed.detour
        scenario, z = study.scenario, self.map_z()
        minimum = scenario.diagnosis.minimum
        start, end = (scene_points(self.axes, w, b, z) for w, b in (scenario.start, minimum.point))
        dashed = DashedLine(start, end, dash_length=self.seed.tun.dash_length,
                            color=settings.colors.highlight,
                            stroke_width=settings.sizes.arrow_width * 0.75)
        level = gdmath.level_line_through(scenario.problem, scenario.start, scenario.w_range,
                                          scenario.b_range)
        lines = VGroup()
        for seg in level.segments:
            line = VMobject(stroke_color=settings.colors.level_line,
                            stroke_width=settings.sizes.level_line_width)
            line.set_points_as_corners(scene_points(self.axes, seg[:, 0], seg[:, 1], z))
            lines.add(line)
        dot = Dot(scene_points(self.axes, *detour.bump_at, z), radius=self.seed.tun.bump_dot_radius,
                  color=settings.colors.level_line)
        label = self.text(self.seed_labels.hill, settings.sizes.small_font,
                          settings.colors.level_line)
        # Down and to the right: the floor and its label lie down and to the left of the hill.
        label.next_to(dot, DOWN + RIGHT, buff=settings.layout.label_gap)
        outline(label, settings)
        self.detour_parts = VGroup(dashed, lines, dot, label)
        return self.detour_parts

    def show_detour(self) -> bool:
        """On the map: the straight way crosses higher ground, the path goes around (if real)."""
        if self.seed.detour is None:
            return False
        dashed, lines, dot, label = self.build_detour()
        self.beat("detour", self.seed.tun.detour, Create(dashed), Create(lines),
                  FadeIn(dot), FadeIn(label), *self.swap_caption(self.seed_labels.detour))
        self.hold("detour_hold", self.seed.tun.detour_hold)
        return True
