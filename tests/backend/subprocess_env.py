"""Run manage.py or a snippet of Python in a fresh process with a chosen environment: settings
read the environment once, at start-up, so that is where they are tested."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Variables a test's environment must not inherit from the one running the suite.
CLEARED = (
    "DJANGO_SECRET_KEY",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_DEBUG",
    "SENTRY_DSN",
    "SENTRY_ENVIRONMENT",
    "SOG_VAR_DIR",
    "DATABASE_URL",
    "DJANGO_ALLOWED_HOSTS",
)


def environment(var_dir: Path, **variables: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in CLEARED and not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="backend.settings",
        SOG_VAR_DIR=str(var_dir),
        DATABASE_URL=f"spatialite:///{var_dir / 'sog.sqlite3'}",
    )
    env.update(variables)
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def python(code: str, *, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
