"""The Redis cache: one client per connection pool; misses and no-ops while Redis is down (never an error page)."""

import logging
import threading
import time

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient

logger = logging.getLogger(__name__)

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
    """Django's RedisCache, except that when Redis cannot be reached every read is a miss and every write a no-op.

    After a failure Redis is left alone for RETRY_AFTER seconds (a dead cache costs nothing per request) and the
    outage is logged once a minute per process, not once a request. Writes and deletes missed while it was down (a
    log-out, say) would leave stale entries behind, so the cache is emptied when Redis answers again.
    """

    RETRY_AFTER = 5.0
    LOG_EVERY = 60.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._outage = _outage_of(str(server))

    # Every public operation goes through _call with the answer it gives while Redis is down.
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(True, True, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call(default, False, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(None, True, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(False, True, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._call(False, True, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._call({}, False, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._call(False, False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        # A counter that cannot be read starts afresh: rate limits let requests through while Redis is down.
        return self._call(delta, True, super().incr, key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call([], True, super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call(None, True, super().delete_many, keys, version)

    def clear(self):
        return self._call(False, True, super().clear)

    def reachable(self) -> bool:
        """Whether Redis answers a PING now (for /healthz; ignores the pause after a failure)."""
        try:
            return bool(self._cache.get_client(write=True).ping())
        except REDIS_DOWN:
            return False

    def _call(self, fallback, writes: bool, operation, *args):
        if self._outage.down and not self._recovered():
            self._note_failure(None, writes)
            return fallback
        try:
            return operation(*args)
        except REDIS_DOWN as exc:
            self._note_failure(exc, writes)
            return fallback

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
