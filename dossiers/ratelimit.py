"""A fixed-window rate limit kept in Django's cache (Redis in production, LocMem by default).

Fixed windows let a client make up to twice the limit across a window boundary; for a public
lookup that only slows down guessing, that is good enough, and it costs one cache round trip.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

logger = logging.getLogger(__name__)

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def rate_parse(rate: str) -> tuple[int, int]:
    """``"10/m"`` → (10, 60): so many hits per second / minute / hour / day."""
    count, _, period = rate.partition("/")
    unit = period.strip().lower()[:1]
    if not count.strip().isdecimal() or unit not in _PERIODS:
        raise ValueError(f"A rate looks like '10/m' (s, m, h or d), not {rate!r}.")
    return int(count), _PERIODS[unit]


def rate_limit_hit(key: str, limit: int, period: int) -> bool:
    """Count one hit for ``key``; True when it goes over ``limit`` hits in the current window of
    ``period`` seconds (the hit is counted either way)."""
    window = int(time.time() // period)
    cache_key = f"ratelimit:{key}:{window}"
    # add() is atomic: exactly one caller creates the counter, everybody else increments it.
    count = 1
    try:
        if not cache.add(cache_key, count, timeout=period + 1):
            try:
                count = cache.incr(cache_key)
            except ValueError:  # the counter expired between add() and incr()
                cache.add(cache_key, count, timeout=period + 1)
    except Exception:  # the cache (Redis) is down: serve the lookup unthrottled meanwhile
        logger.warning("Rate-limit cache unavailable; %s not counted.", key, exc_info=True)
        return False
    return count > limit


def client_ip(request: HttpRequest) -> str:
    """The caller's address: REMOTE_ADDR, or with ``TRUSTED_PROXY_COUNT`` = N > 0 proxies in
    front of the portal, the address the outermost of them saw (the N-th entry of
    X-Forwarded-For counted from the right; entries further left are the client's to forge)."""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return request.META.get("REMOTE_ADDR", "")
