"""Use-cases shared by the terminal UI and the plain CLI."""
