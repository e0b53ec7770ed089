"""The drawing kit of the scenes: everything the scene files share (manim-free to import)."""
