"""Production settings: refuse to start without a real SECRET_KEY, pass Django's deploy checks.

Each check runs in a fresh interpreter, because settings are read once per process.
"""

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SETUP = "import django; django.setup()"


def production_env(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
                       "SECURE_HSTS_PRELOAD", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS"}
    }
    env["DJANGO_SETTINGS_MODULE"] = "cms.settings.production"
    env.update(extra)
    return env


def random_key(length: int) -> str:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(length))


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=REPO_ROOT, env=env, capture_output=True, text=True,
        timeout=120, check=False,
    )


@pytest.mark.parametrize("key", [None, "", "short-key-31-characters-long-xx"])
def test_production_refuses_to_start_without_a_real_secret_key(key):
    env = production_env() if key is None else production_env(SECRET_KEY=key)
    result = run(["-c", SETUP], env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_starts_with_a_50_character_secret_key():
    result = run(["-c", SETUP], production_env(SECRET_KEY=random_key(50)))
    assert result.returncode == 0, result.stderr


def test_production_passes_deploy_checks():
    env = production_env(SECRET_KEY=random_key(50), ALLOWED_HOSTS="example.org")
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("environment, visibility", [({}, 300), ({"CELERY_VISIBILITY_TIMEOUT": "120"}, 120)])
def test_no_task_outlives_the_visibility_timeout(environment, visibility):
    """A task still running when the broker's visibility timeout ends is handed to a second worker meanwhile."""
    script = (SETUP + "; from django.conf import settings as s; from cms.celery import app; "
              "print(app.conf.broker_transport_options['visibility_timeout'], app.conf.task_time_limit, "
              "app.conf.task_reject_on_worker_lost, s.CERTIFICATES_RENDER_SLICE_SECONDS)")
    result = run(["-c", script], production_env(SECRET_KEY=random_key(50), **environment))
    assert result.returncode == 0, result.stderr
    timeout, time_limit, reject, render_slice = result.stdout.split()
    assert int(timeout) == visibility
    assert 0 < int(render_slice) < int(time_limit) < visibility
    assert reject == "True"
