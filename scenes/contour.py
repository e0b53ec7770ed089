"""The contour map on its own, as a 2D scene: the path crosses every level line at a right angle."""

from scenes.kit.story2d import MapScene
from scenes.kit.theme import mark_key_moment


class ContourMap(MapScene):
    """Level lines, the descent path, its steps as arrows and their right angles.

    Key moment for ``gdviz stills``: "map" (every step with its right angle drawn).
    """

    def construct(self) -> None:
        """The table of contents."""
        self.show_map()
        self.show_right_angles()
        mark_key_moment(self, "map")
        self.show_outcome()
