"""The Redis cache backend through a real hung Redis: misses and no-ops, logged once, emptied when it comes back."""

import logging
import shutil
import signal
import subprocess
import time

import pytest
from django.conf import settings
from redis.backoff import NoBackoff
from redis.retry import Retry

from cms.cache import ResilientRedisCache
from tests.test_outages import free_port

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


@pytest.fixture
def redis_server():
    """A Redis of this test's own, on a free port, that the test can freeze (SIGSTOP) like a hung server."""
    port = free_port()
    proc = subprocess.Popen([REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no"], stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True).stdout.strip() != b"PONG":
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
        yield proc, port
    finally:
        proc.send_signal(signal.SIGCONT)
        proc.terminate()
        proc.wait(timeout=10)


def make_cache(port: int) -> ResilientRedisCache:
    # The options cms/settings/base.py gives it (checked by the test below).
    options = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5, "retry": Retry(NoBackoff(), 0)}
    cache = ResilientRedisCache(f"redis://127.0.0.1:{port}/0", {"OPTIONS": options, "KEY_PREFIX": "t"})
    cache.RETRY_AFTER = 0.3
    return cache


def redis_cli(port: int, *args: str) -> str:
    return subprocess.run(["redis-cli", "-p", str(port), *args], capture_output=True, text=True, check=True).stdout


def test_a_hung_redis_costs_one_timeout_then_nothing_and_is_logged_once(redis_server, caplog):
    proc, port = redis_server
    cache = make_cache(port)
    cache.set("session", "logged in")
    assert cache.get("session") == "logged in"

    proc.send_signal(signal.SIGSTOP)
    caplog.set_level(logging.WARNING, logger="cms.cache")
    started = time.monotonic()
    assert cache.get("session", "miss") == "miss"
    assert time.monotonic() - started < 1.5  # one socket timeout
    started = time.monotonic()
    cache.add("rate", 0)
    for count in range(1, 51):
        assert cache.get("session", "miss") == "miss"
        assert cache.incr("rate") == count  # rate limits keep counting on the process's stand-in
        cache.set("other", 1)
    assert time.monotonic() - started < 0.1  # no socket touched until RETRY_AFTER has passed
    assert cache.get("other") == 1
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1 and "Redis is unreachable" in errors[0].getMessage()

    proc.send_signal(signal.SIGCONT)
    time.sleep(cache.RETRY_AFTER + 0.1)
    assert cache.get("session") is None  # writes were missed (incr, set): emptied, not trusted half-stale
    assert cache.get("rate") is None and cache.get("other") is None  # the stand-in is gone with the outage
    assert any("answers again" in r.getMessage() for r in caplog.records)


def test_writes_missed_while_redis_was_away_leave_nothing_stale(redis_server, caplog):
    _, port = redis_server
    cache = make_cache(port)
    cache.set("session", "logged in")
    away = free_port()
    # Redis keeps its data but stops answering on its port and drops its clients: connections are refused.
    redis_cli(port, "config", "set", "port", str(away))
    redis_cli(away, "client", "kill", "type", "normal", "skipme", "yes")
    assert cache.delete("session") is False  # a log-out while Redis is away: the delete is missed
    assert redis_cli(away, "dbsize").strip() == "1"

    redis_cli(away, "config", "set", "port", str(port))
    time.sleep(cache.RETRY_AFTER + 0.1)
    # The logged-out session must not come back: the cache was emptied when Redis answered again.
    assert cache.get("session") is None
    cache.set("session", "new")
    assert cache.get("session") == "new"


def test_settings_use_the_resilient_backend_with_short_timeouts(monkeypatch):
    import importlib

    from cms.settings import base

    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/6")
    try:
        reloaded = importlib.reload(base)
        cache = reloaded.CACHES["default"]
        assert cache["BACKEND"] == "cms.cache.ResilientRedisCache"
        assert cache["OPTIONS"]["socket_connect_timeout"] <= 1 and cache["OPTIONS"]["socket_timeout"] <= 1
        assert cache["OPTIONS"]["retry"].get_retries() == 0
        assert reloaded.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    finally:
        monkeypatch.delenv("REDIS_URL")
        importlib.reload(base)
    assert settings.SESSION_ENGINE  # the running settings are untouched by the reload


def test_session_keys_are_never_kept_by_the_stand_in(redis_server):
    """A session cached only in one process could outlive a log-out handled by another: sessions read the database."""
    proc, port = redis_server
    cache = make_cache(port)
    session_key = "django.contrib.sessions.cached_db" + "abc123"
    cache.set(session_key, {"_auth_user_id": "1"})
    proc.send_signal(signal.SIGSTOP)
    assert cache.get(session_key) is None
    cache.set(session_key, {"_auth_user_id": "1"})
    assert cache.get(session_key) is None
    assert cache.get_many([session_key, "other"]) == {}
    cache.set("other", 1)
    assert cache.get("other") == 1
