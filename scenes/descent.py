"""The main video: gradient descent on a one-neuron network, from the model to the valley floor.

Render with ``manim -pqh scenes/descent.py`` (``GDVIZ_PRESET``, ``GDVIZ_CONFIG``, ``GDVIZ_LANG``
choose the problem and the language).
"""

from scenes.kit.story3d import StoryScene
from scenes.kit.theme import mark_key_moment


class GradientDescent(StoryScene):
    """Model, valley, rolling ball, the map from above, right angles, the floor.

    Key moments for ``gdviz stills``: "valley" (the 3D valley with the path, at the end of the
    roll) and "map" (the contour map with the steps and their right angles).
    """

    def construct(self) -> None:
        """The table of contents."""
        self.show_model()
        self.show_valley()
        self.roll_ball()
        mark_key_moment(self, "valley")
        self.look_from_above()
        self.show_right_angles()
        mark_key_moment(self, "map")
        self.show_floor()
