"""Helpers used only by the tests (and scripts the lead runs by hand)."""
