"""Settings for bench/quiz_submit.py's server only: production settings, plus the bench's bare view (bench/urls.py)."""

from cms.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
