"""micro-journal: get better through micro-skills and micro-goals, from the terminal."""

__version__ = "0.1.0"
