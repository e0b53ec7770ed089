"""On-screen prose in each language."""
