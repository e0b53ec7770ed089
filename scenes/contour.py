"""The contour map on its own, as a 2D scene: the path crosses every level line at a right angle."""

from scenes.story import MapScene


class ContourMap(MapScene):
    """Level lines, the descent path, its steps as arrows and their right angles."""

    sections = ("map", "right_angles")

    def construct(self) -> None:
        """The table of contents."""
        self.show_map()
        self.show_right_angles()
        self.check_plan()
