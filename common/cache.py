"""The shared cache (Redis), made to fail soft: when Redis is down or hangs, the site
answers as if every lookup were a miss.

The cache only ever holds copies (answers, throttle histories, the data version);
nothing is lost when it is out of reach, so an outage must not turn into 500s or
lost writes. Django's own RedisCache raises redis' ConnectionError / TimeoutError
to the view, and with no socket timeouts a Redis that accepts and never answers
holds every request for as long as the kernel keeps the connection.

`ResilientRedisCache` (the backend config/settings.py selects with REDIS_URL):

- short connect and read timeouts (REDIS_CONNECT_TIMEOUT, REDIS_TIMEOUT seconds);
- every Redis error is logged once and treated as a miss (`get` gives the default,
  `set` / `add` / `delete` report False, `get_many` gives {}, `incr` gives the
  delta as if the key were new);
- after an error the process leaves Redis alone for REDIS_RETRY_AFTER seconds
  (each request would otherwise wait out the timeout several times over), then
  tries again: the site is back on the cache within that time of Redis returning.

`count_in_windows` gives the API's rate limits (api/throttling.py) their counters in
one round trip: one Lua script (EVALSHA; atomic as MULTI/EXEC is) running SET NX EX
(a new window's counter, with its lifetime) and INCR per counter, plus an MGET of
other keys wanted with them: one command and one reply, where MULTI/EXEC sends and
parses one of each per step.

Throttling (the API's rate limits count in this cache) therefore FAILS OPEN: while the
cache is out of reach nobody is throttled. That is a deliberate choice: the
throttle protects capacity, and refusing everyone during a cache outage would turn
a degraded cache into a full outage. The login lock-out (django-axes) counts in the
database and holds throughout.

The data version (common.data_version) depends on `set` reporting a failure: a
bump that could not be written is retried until Redis takes it, so no answer
cached before the outage is served after it for data changed during it.
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

# KEYS: the counters, then the keys to read; ARGV[1]: the number of counters, then
# each counter's lifetime in seconds. Returns {counts, values read}.
COUNT_IN_WINDOWS_LUA = """
local n = tonumber(ARGV[1])
local counts = {}
for i = 1, n do
    redis.call('SET', KEYS[i], 0, 'EX', ARGV[i + 1], 'NX')
    counts[i] = redis.call('INCR', KEYS[i])
end
local found = {}
if #KEYS > n then
    found = redis.call('MGET', unpack(KEYS, n + 1))
end
return {counts, found}
"""


class _Health:
    def __init__(self):
        self.down_until = 0.0
        self.outage_seen = False
        self.lock = threading.Lock()


_STATES: dict[str, _Health] = {}


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        self.retry_after = float(options.pop("RETRY_AFTER", 2.0))
        options.setdefault("socket_connect_timeout", 0.25)
        options.setdefault("socket_timeout", 0.5)
        options.setdefault("retry_on_timeout", False)
        super().__init__(server, {**params, "OPTIONS": options})
        # Django makes one backend object per thread; what this process knows of
        # Redis' health is shared by its threads.
        self._state = _STATES.setdefault(str(server), _Health())

    # -- the circuit: after an error, skip Redis for a moment ---------------------

    def available(self) -> bool:
        return time.monotonic() >= self._state.down_until

    def outage_ended(self) -> bool:
        """True once after this process met an error and Redis is to be tried again:
        whatever this process (or another) changed meanwhile may be missing from it
        (common.data_version then starts a new data version)."""
        state = self._state
        with state.lock:
            if state.outage_seen and self.available():
                state.outage_seen = False
                return True
        return False

    def _failed(self, operation: str, error: Exception) -> None:
        state = self._state
        with state.lock:
            first = self.available()
            state.down_until = time.monotonic() + self.retry_after
            state.outage_seen = True
        if first:
            logger.warning(
                "Cache unavailable (%s: %s); answering without it for %.1f s.",
                operation,
                error,
                self.retry_after,
            )

    def _call(self, operation: str, default, *args, **kwargs):
        if not self.available():
            return default
        from redis.exceptions import RedisError

        try:
            result = getattr(super(), operation)(*args, **kwargs)
        except (RedisError, OSError) as error:
            self._failed(operation, error)
            return default
        return result

    # -- every operation, with its "miss" answer -----------------------------------

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # True when stored, False when the cache could not take it (Django's own
        # backends answer None): common.data_version retries a failed bump.
        sentinel = object()
        result = self._call("set", sentinel, key, value, timeout, version)
        return result is not sentinel

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", delta, key, delta, version)

    def clear(self):
        return self._call("clear", False)

    def _counting_script(self):
        """The counting script on one redis-py client per backend object (Django's
        backend makes a new client on every call, copying its table of reply parsers
        each time; a client is safe to share between threads). redis-py sends EVALSHA
        and loads the script when Redis does not know it (after a restart)."""
        script = self.__dict__.get("_count_script")
        if script is None:
            client = self._cache.get_client(write=True)
            script = self._count_script = client.register_script(COUNT_IN_WINDOWS_LUA)
        return script

    def count_in_windows(self, counters, get_keys=()):
        """One round trip: for each (key, seconds) of `counters`, the key is created
        at 0 to live that long if it is missing, then incremented (atomically, in one
        script, so a counter never outlives its window without a lifetime); and
        `get_keys` are read as get_many() would. Returns (counts, found); (None, {})
        when Redis is out of reach (throttles then let the request through, see above)."""
        if not self.available():
            return None, {}
        from redis.exceptions import RedisError

        counter_keys = [self.make_and_validate_key(key) for key, _ in counters]
        read_keys = [self.make_and_validate_key(key) for key in get_keys]
        lifetimes = [max(int(seconds), 1) for _, seconds in counters]
        try:
            counts, values = self._counting_script()(
                keys=[*counter_keys, *read_keys], args=[len(counter_keys), *lifetimes]
            )
        except (RedisError, OSError) as error:
            self._failed("count_in_windows", error)
            return None, {}
        counts = [int(n) for n in counts]
        found = {}
        if read_keys:
            loads = self._cache._serializer.loads
            for key, value in zip(get_keys, values, strict=True):
                if value is not None:
                    found[key] = loads(value)
        return counts, found
