"""render3d's display list against manim's on flattened families, and its tone shading."""

from __future__ import annotations

import numpy as np
import pytest
from manim import ORIGIN, RIGHT, UP, Line
from test_fastmesh import make_camera

from scenes.kit.render3d.surface import FastSurface


def test_display_list_of_flattened_and_shared_families_matches_manim():
    # Manim hands the camera its moving families already flattened, plus later additions;
    # random trees with shared members, in every such shape, must give manim's exact list.
    from manim import VGroup
    from manim.camera.camera import Camera
    from manim.utils.family import extract_mobject_family_members

    camera = make_camera()
    rng = np.random.default_rng(7)
    for _ in range(30):
        leaves = [Line(ORIGIN, (k + 1) * UP) for k in range(6)]
        groups: list = []
        for _ in range(5):
            pool = leaves + groups
            members = [pool[k] for k in rng.integers(0, len(pool), size=rng.integers(1, 4))]
            groups.append(VGroup(*members) if rng.random() < 0.7
                          else Line(ORIGIN, RIGHT).add(*members))
        pool = groups + leaves
        roots = [pool[k] for k in rng.choice(len(pool), size=3, replace=False)]
        flattened = extract_mobject_family_members(roots)
        for mobjects in (roots, flattened, flattened[2:] + roots[:1], flattened[::-1]):
            assert camera._mobjects_to_display(mobjects) == Camera.get_mobjects_to_display(
                camera, mobjects)


def test_tone_shading_keeps_the_colour_map_on_the_lit_side():
    # A bowl coloured by height with viridis, lit from manim's default light: "tone" shading
    # must keep every face's hue and saturation (the colour still reads on the loss scale) and
    # still show the shape; manim's additive light whitens the lit faces.
    from scenes.kit.mobjects import colormap_rgb
    from scenes.kit.settings.story import VIRIDIS

    u = np.linspace(-2.0, 2.0, 25)
    w, b = np.meshgrid(u, u)
    height = 0.4 * (w**2 + b**2)
    grid = np.stack([w, b, height], axis=-1)
    face_h = 0.25 * (height[:-1, :-1] + height[1:, :-1] + height[:-1, 1:] + height[1:, 1:])
    colors = colormap_rgb(face_h / face_h.max(), VIRIDIS).reshape(-1, 3)
    light = make_camera().light_source.points[0]

    def saturation(rgb):
        top = rgb.max(axis=1)
        return (top - rgb.min(axis=1)) / top

    ratios = {}
    for mode in ("tone", "manim"):
        shaded = FastSurface(grid, face_colors=colors.reshape(24, 24, 3),
                             shading=mode).shaded_fill_rgbas(light)[:, :3]
        ratios[mode] = saturation(shaded) / saturation(colors)
    start, end = FastSurface(grid, face_colors=colors.reshape(24, 24, 3)).shading_light(light)
    lit = 0.5 * (start + end) > 0.1
    assert lit.sum() > 20
    # Exactly kept unless a channel clips at 1 (the brightest green, fully lit).
    assert np.median(ratios["tone"]) == pytest.approx(1.0, abs=1e-9)
    assert ratios["tone"].min() > 0.9
    assert np.median(ratios["manim"][lit]) < 0.8  # the defect this mode exists for
    tone = FastSurface(grid, face_colors=colors.reshape(24, 24, 3), shading="tone")
    brightness = tone.shaded_fill_rgbas(light)[:, :3].max(axis=1) / colors.max(axis=1)
    assert brightness.max() - brightness.min() > 0.2  # the light still shows the shape
    with pytest.raises(ValueError, match="shading must be"):
        FastSurface(grid, shading="flat")
