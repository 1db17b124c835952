"""Packaging tests build and install the real wheel (slower: a few seconds)."""


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "packaging: builds the wheel and installs it non-editably in a fresh venv "
        "(deselect with -m 'not packaging')",
    )
