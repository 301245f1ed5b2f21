"""Lets pytest run bench/offline_shell.py with the test suite's fixtures (not part of the suite)."""

from tests.conftest import *  # noqa: F403 (every fixture of the suite, whatever its name)
