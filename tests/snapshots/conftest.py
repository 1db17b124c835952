"""The snapshot tests use the same app fixtures as the Pilot tests."""

from tests.ui.conftest import *  # noqa: F403
