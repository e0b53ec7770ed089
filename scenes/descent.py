"""The main video: gradient descent on a one-neuron network, from the model to the valley floor.

Render with ``manim -pqh scenes/descent.py`` (``GDVIZ_PRESET``, ``GDVIZ_CONFIG``, ``GDVIZ_LANG``
choose the problem and the language; ``GDVIZ_LANDSCAPE=full`` shows the whole surface during the
roll; ``GDVIZ_PRESET=detour`` a path that goes around a hill).
"""

from scenes.kit.story3d import StoryScene
from scenes.kit.theme import mark_key_moment


class GradientDescent(StoryScene):
    """Model, one parameter, valley, rolling ball, the map from above, right angles, the floor.

    Key moments for ``gdviz stills``: "slice" (the curve l(w) at fixed b with the ball at its
    one-parameter floor), "known" (the end of the roll: only the discs where the descent has
    been; with ``GDVIZ_LANDSCAPE=known``, the default), "valley" (the 3D valley with the path),
    "map" (the contour map with the steps and their right angles) and "detour" (the straight way
    and the level line through the start; only for a path with a real detour, e.g. the preset
    ``detour``).
    """

    plays_seed_beats = True

    def construct(self) -> None:
        """The table of contents."""
        self.show_model()
        self.show_slice()
        mark_key_moment(self, "slice")
        self.free_b()
        self.ghost_landscape()
        self.roll_known()
        if self.knows_only_its_path:
            mark_key_moment(self, "known")
        self.reveal_landscape()
        mark_key_moment(self, "valley")
        self.look_from_above()
        self.show_right_angles()
        mark_key_moment(self, "map")
        if self.show_detour():
            mark_key_moment(self, "detour")
        self.show_floor()
