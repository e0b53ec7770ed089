"""gdviz scenes: Manim scenes that draw what gdmath computes (one Scene per file)."""
