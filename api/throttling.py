"""The API's rate limits: one counter per client and window in the shared cache.

DRF's AnonRateThrottle / UserRateThrottle keep, per client, the time of every
request of the last period in one pickled list, read and rewritten on every
request: at a high limit that list holds thousands of entries and moving it costs
more than the answer. Here a client's requests are counted per fixed window
(`THROTTLE_ANON = "600/minute"`: at most 600 requests in each calendar minute), in
one integer per client and window, so the cost does not grow with the limit:

- one round trip per request (common.cache.ResilientRedisCache.count_in_windows:
  SET NX EX and INCR in one Lua script); with another cache (local memory in
  development and tests) `add()` then `incr()`;
- counted in the shared cache (Redis, REDIS_URL), so the limit holds across
  server workers and hosts; with local memory each process counts alone;
- over the limit: 429 with `Retry-After`, the seconds until the window ends;
- the client is the one config/proxies.py names, by DRF's rule (`get_ident`):
  X-Forwarded-For is read only behind NUM_PROXIES proxies of our own;
- Redis out of reach: the request goes through (fails open, as common/cache.py
  explains), nobody is throttled until it is back.

A fixed window lets a client that spends its allowance at the end of one window
and again at the start of the next send up to twice the limit within one window's
length; the limit protects capacity, and that bound is kept.

`anon` counts requests without a signed-in user, by address; `user` counts a
signed-in user's requests, by user, wherever they come from (DRF's UserRateThrottle
also counted anonymous requests against the `user` rate, by address: the stricter
`anon` rate is the one that holds for them).

The response cache (api/response_cache.py) counts its anonymous requests itself, in
the same round trip as its read, and leaves the count on the request
(`COUNTED_ATTR`), so a request it passes on to the view is not counted twice.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from functools import lru_cache

from django.core.cache import cache
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

KEY_PREFIX = "throttle"
#: A {counter key: count} dict left on a Django request that was counted already.
COUNTED_ATTR = "_api_throttle_counts"

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@lru_cache(maxsize=32)
def parse_rate(rate: str) -> tuple[int, int]:
    """The rate "600/minute" as (600, 60): requests allowed, and the window in seconds."""
    number, period = rate.split("/")
    return int(number), _PERIODS[period.strip()[0].lower()]


@dataclass(frozen=True)
class Window:
    """One client's counter in the current window of one rate."""

    key: str
    limit: int
    ends_at: float

    def lifetime(self, now: float) -> int:
        return math.ceil(self.ends_at - now) + 1

    def retry_after(self, now: float) -> int:
        return max(1, math.ceil(self.ends_at - now))


def count(windows: list[Window], get_keys=(), *, now: float) -> tuple[list[int] | None, dict]:
    """Add one request to each window's counter and read `get_keys`, in one round trip
    when the cache is Redis. Returns (counts, found); counts is None when the cache
    could not count (the throttles then let the request through)."""
    counters = [(window.key, window.lifetime(now)) for window in windows]
    backend = getattr(cache, "count_in_windows", None)
    if backend is not None:
        return backend(counters, get_keys)
    found = cache.get_many(list(get_keys)) if get_keys else {}
    counts = []
    for key, seconds in counters:
        cache.add(key, 0, seconds)
        try:
            counts.append(cache.incr(key))
        except ValueError:  # expired between add() and incr(): a new window
            cache.add(key, 1, seconds)
            counts.append(1)
    return counts, found


def count_anonymous(request, throttle_classes, get_keys=(), *, now: float):
    """Count a request known to be anonymous (no session, no token) before the view
    does, in the windows of those `throttle_classes` that are AnonWindowThrottles
    (any other throttle counts in the view, as usual), reading `get_keys` in the same
    round trip. The counts are left on the request (COUNTED_ATTR), so the view's
    throttles do not count it again and answer the 429 if a limit is passed.
    Returns (windows, counts, found); counts is None when the cache is out of reach."""
    windows = []
    for throttle_class in throttle_classes:
        if issubclass(throttle_class, AnonWindowThrottle):
            window = throttle_class().anonymous_window(request, now)
            if window is not None:  # None: no rate set for it
                windows.append(window)
    counts, found = count(windows, get_keys, now=now)
    if counts is not None and windows:
        setattr(request, COUNTED_ATTR, dict(zip((w.key for w in windows), counts, strict=True)))
    return windows, counts, found


def passed_window(windows: list[Window], counts: list[int] | None) -> Window | None:
    """The first window whose limit these counts pass, if any."""
    for window, number in zip(windows, counts or (), strict=False):
        if number > window.limit:
            return window
    return None


class WindowRateThrottle(BaseThrottle):
    """A fixed-window counter for the rate named `scope` in DEFAULT_THROTTLE_RATES."""

    scope = ""

    def __init__(self):
        self._wait: int | None = None

    def client_key(self, request) -> str | None:
        """Whom to count, or None if this rate does not apply to the request."""
        raise NotImplementedError

    def window(self, request, now: float, *, client: str | None = None) -> Window | None:
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        if rate is None:
            return None
        client = client if client is not None else self.client_key(request)
        if client is None:
            return None
        limit, seconds = parse_rate(rate)
        index = int(now // seconds)
        key = f"{KEY_PREFIX}:{self.scope}:{seconds}:{client}:{index}"
        return Window(key=key, limit=limit, ends_at=(index + 1) * seconds)

    def allow_request(self, request, view) -> bool:
        now = time.time()
        window = self.window(request, now)
        if window is None:
            return True
        counted = getattr(getattr(request, "_request", request), COUNTED_ATTR, None) or {}
        number = counted.get(window.key)
        if number is None:
            counts, _ = count([window], now=now)
            if counts is None:
                return True  # the cache is out of reach: fail open
            number = counts[0]
        if number > window.limit:
            self._wait = window.retry_after(now)
            return False
        return True

    def wait(self) -> int | None:
        return self._wait


class AnonWindowThrottle(WindowRateThrottle):
    """Requests without a signed-in user, by client address (THROTTLE_ANON)."""

    scope = "anon"

    def client_key(self, request) -> str | None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return None
        return self.get_ident(request)

    def anonymous_window(self, request, now: float) -> Window | None:
        """The window of a request known to be anonymous (no session, no token),
        before authentication has run (api/response_cache.py)."""
        return self.window(request, now, client=self.get_ident(request))


class UserWindowThrottle(WindowRateThrottle):
    """A signed-in user's requests, by user (THROTTLE_USER)."""

    scope = "user"

    def client_key(self, request) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return str(user.pk)


def throttled_detail(seconds: int | None) -> str:
    """DRF's wording of a 429's body."""
    detail = "Request was throttled."
    if seconds:
        detail += f" Expected available in {seconds} seconds."
    return detail
