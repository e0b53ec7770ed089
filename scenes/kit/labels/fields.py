"""The fields of the on-screen prose: a dataclass per group of scenes, a bundle per language.

Mathematics stays in TeX in both languages; only prose is translated. Strings with ``{}`` fields
are templates filled by the scene with numbers from gdmath (`str.format`). The instances live in
one module per language (`scenes.kit.labels.en`, `scenes.kit.labels.ja`); scenes look them up
with `scenes.kit.labels.labels_for`, and set them with `scenes.kit.text.make_text`, which picks
Noto Sans CJK JP for Japanese (no tofu boxes).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["LanguageLabels", "LectureLabels", "MapLabels", "SeedLabels", "StoryLabels"]


@dataclass(frozen=True)
class StoryLabels:
    """All prose of the story scenes (descent, valley, contour), for one language."""

    language: str
    model: str
    loss: str
    data_panel: str
    loss_panel: str
    loss_scale: str
    step: str
    loss_axis: str
    start: str
    gradient: str
    rolling: str
    bend: str
    from_above: str
    perpendicular: str
    floor: str
    closing: str
    diverged: str
    update_rule: str
    no_floor_ray: str = ""
    grows: str = ""
    falls: str = ""
    no_floor_flat: str = ""
    no_floor_underdetermined: str = ""
    plateau: str = ""
    leaves_view: str = ""
    standardized: str = ""
    not_to_scale: str = ""
    narrow: str = ""


@dataclass(frozen=True)
class LectureLabels:
    """All prose of the four lecture scenes, for one language."""

    language: str
    # shared
    start: str
    loss_log: str
    steps_axis: str
    # learning rates
    lr_title: str
    lr_subtitle: str
    crawl: str
    glide: str
    zigzag: str
    diverge: str
    diverged: str
    lr_closing: str
    # optimizers
    opt_title: str
    opt_subtitle: str
    gd: str
    momentum: str
    nesterov: str
    rmsprop: str
    adam: str
    overshoot: str
    momentum_note: str
    from_above: str
    sign_route: str
    opt_closing: str
    # gradient flow
    flow_title: str
    flow_subtitle: str
    flow_curve: str
    large_eta: str
    small_eta: str
    flow_gap: str
    flow_closing: str
    # SGD
    sgd_title: str
    sgd_subtitle: str
    full_batch: str
    minibatch: str
    band: str
    zoom: str
    sgd_closing: str

    def optimizer(self, name: str) -> str:
        """The display name of a `gdmath.OPTIMIZERS` key."""
        return getattr(self, name)


@dataclass(frozen=True)
class MapLabels:
    """All prose of the three lecture map scenes, for one language."""

    language: str
    step: str
    # landscapes
    landscapes_title: str
    same_start: str
    data: str
    almost_flat: str
    exactly_flat: str
    activation_names: tuple[tuple[str, str], ...]
    name_join: str
    saturated: str
    none_saturated: str
    dead_relu: str
    none_dead: str
    ridge_title: str
    ridge_result: str
    # curvature
    curvature_title: str
    hessian_at_ball: str
    steep: str
    shallow: str
    along_steep: str
    split_steps: str
    components: str
    steep_limits: str
    # basins
    basins_title: str
    few_starts: str
    colour_starts: str
    minimum: str
    unsettled: str
    basins_closing: str
    one_basin: str

    def name_list(self, activations: list[str]) -> str:
        """The activations' names joined to open a sentence.

        "Sigmoid and tanh" in English, "シグモイドとtanh" in Japanese.
        """
        names = dict(self.activation_names)
        text = self.name_join.join(names.get(activation, activation) for activation in activations)
        return text[:1].upper() + text[1:] if self.language == "en" else text


@dataclass(frozen=True)
class SeedLabels:
    """Captions of the opening, the known landscape and the detour, for one language."""

    one_parameter: str
    slice_roll: str
    free_b: str
    known: str
    reveal: str
    detour: str
    hill: str


@dataclass(frozen=True)
class LanguageLabels:
    """All the on-screen prose of one language, by group of scenes."""

    story: StoryLabels
    """The story scenes: descent, valley, contour."""
    lectures: LectureLabels
    """The lecture scenes: learning rates, optimizers, flow, SGD."""
    maps: MapLabels
    """The lecture map scenes: landscapes, curvature, basins."""
    seed: SeedLabels
    """The seed's three further ideas (`scenes.kit.story_seed`)."""
