"""The Redis cache: one client per connection pool; a stand-in in process memory while Redis is down."""

import logging
import threading
import time

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient

logger = logging.getLogger(__name__)

# Session keys (cached_db): the database holds the truth, so while Redis is down they are misses and no-ops. A
# stand-in copy per process could outlive a log-out handled by another process.
SESSION_KEY_PREFIX = "django.contrib.sessions."
STANDIN_MAX_ENTRIES = 20_000

# What "Redis is down" looks like from redis-py: refused or lost connections, slow sockets, a server loading its data.
REDIS_DOWN = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)


class _Outage:
    """What one process knows about one Redis: Django makes a cache object per thread, the outage is shared."""

    def __init__(self):
        self.lock = threading.Lock()
        self.retry_at = 0.0  # monotonic time before which Redis is not tried again
        self.down = False
        self.missed_writes = False
        self.failures = 0
        self.last_error = ""
        self.logged_at = float("-inf")


_outages: dict[str, _Outage] = {}
_outages_lock = threading.Lock()


def _outage_of(location: str) -> _Outage:
    with _outages_lock:
        return _outages.setdefault(location, _Outage())


class RedisCacheClient(DjangoRedisCacheClient):
    # Django makes a new redis.Redis for each cache call; its constructor costs more CPU than the GET itself
    # (about 0.3 ms: it fills its table of response callbacks), and every logged-in request reads its session.
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient


class ResilientRedisCache(RedisCache):
    """Django's RedisCache, except that while Redis cannot be reached the process keeps going on a stand-in.

    The stand-in is a local-memory cache per process: rate limits keep counting (per process: a few times
    looser, never open) and cached pages keep their values. Session keys are the exception: a miss and a no-op,
    read from the database. After a failure Redis is left alone for RETRY_AFTER seconds (a dead cache costs
    nothing per request) and the outage is logged once a minute per process, not once a request. Writes and
    deletes missed while it was down (a log-out, say) would leave stale entries behind, so the cache is emptied
    when Redis answers again, and the stand-in with it.
    """

    RETRY_AFTER = 5.0
    LOG_EVERY = 60.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._outage = _outage_of(str(server))
        # Local-memory caches of one name share their storage within the process (every thread's instance).
        self._standin = LocMemCache(f"cms.cache.standin:{server}", {
            "TIMEOUT": params.get("TIMEOUT", 300), "OPTIONS": {"MAX_ENTRIES": STANDIN_MAX_ENTRIES},
            "KEY_PREFIX": params.get("KEY_PREFIX", ""), "VERSION": params.get("VERSION", 1)})

    # Every public operation goes through _call with its name, the answer for session keys while Redis is down,
    # whether it writes, and its keys.
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", True, True, [key], key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", default, False, [key], key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, True, [key], key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, True, [key], key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, True, [key], key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, False, keys, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, False, [key], key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", delta, True, [key], key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", [], True, list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, True, keys, keys, version)

    def clear(self):
        self._standin.clear()
        return self._call("clear", False, True, [])

    def reachable(self) -> bool:
        """Whether Redis answers a PING now (for /healthz; ignores the pause after a failure)."""
        try:
            return bool(self._cache.get_client(write=True).ping())
        except REDIS_DOWN:
            return False

    def _call(self, name: str, session_fallback, writes: bool, keys, *args):
        if not (self._outage.down and not self._recovered()):
            try:
                return getattr(RedisCache, name)(self, *args)
            except REDIS_DOWN as exc:
                self._note_failure(exc, writes)
        else:
            self._note_failure(None, writes)
        if any(str(key).startswith(SESSION_KEY_PREFIX) for key in keys):
            return session_fallback
        return getattr(self._standin, name)(*args)

    def _recovered(self) -> bool:
        """After the pause, try Redis again; if writes were missed, empty the cache before trusting it."""
        outage = self._outage
        if time.monotonic() < outage.retry_at:
            return False
        emptied = outage.missed_writes
        try:
            if emptied:
                self._cache.clear()
            else:
                self._cache.get_client().ping()
        except REDIS_DOWN as exc:
            self._note_failure(exc, False)
            return False
        self._standin.clear()  # what it kept was this process's alone; Redis is the one cache again
        with outage.lock:
            failures, outage.down, outage.missed_writes, outage.failures = outage.failures, False, False, 0
        logger.warning("cache: Redis answers again after %d failed operations%s", failures,
                       "; cache emptied" if emptied else "")
        return True

    def _note_failure(self, exc, writes: bool) -> None:
        now, outage = time.monotonic(), self._outage
        with outage.lock:
            if exc is not None:
                outage.retry_at = now + self.RETRY_AFTER
                outage.last_error = str(exc)
            outage.down = True
            outage.missed_writes = outage.missed_writes or writes
            outage.failures += 1
            should_log = now - outage.logged_at >= self.LOG_EVERY
            if should_log:
                outage.logged_at = now
            failures, error = outage.failures, outage.last_error
        if should_log:
            logger.error("cache: Redis is unreachable (%s); %d operations served as misses", error, failures)
