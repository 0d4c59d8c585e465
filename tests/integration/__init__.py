"""Tests against real services: PostgreSQL, Redis and a `celery worker` process (RUN_INTEGRATION=1)."""
