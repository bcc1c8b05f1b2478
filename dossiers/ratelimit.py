"""Fixed-window rate-limit counters kept in Django's cache (Redis in production, LocMem by
default), with an in-process fallback for when the cache is down.

Fixed windows let a client make up to twice the limit across a window boundary; for a public
lookup that only slows down guessing, that is good enough, and it costs one cache round trip.

When the cache raises (Redis stopped, or hung past the socket timeout of ``CACHES`` OPTIONS),
the counters move to :class:`LocalCounters`, a bounded dictionary in this process, so the limits
still hold instead of switching off. That store is per process: with N gunicorn workers a client
whose requests are spread over all of them gets up to N× the limit while the cache is down (and
the counts made in the cache before the outage are not carried over). After a failure the cache
is left alone for ``CACHE_RETRY_SECONDS``, so a hung Redis costs one socket timeout per process
in that time rather than one per counter of every request. The outage is logged once a minute
per process, not once per hit.
"""

from __future__ import annotations

import ipaddress
import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

logger = logging.getLogger(__name__)

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

# After a cache error, count locally this long before asking the cache again.
CACHE_RETRY_SECONDS = 5.0
# At most one warning per process in this many seconds while the cache is down.
LOG_EVERY_SECONDS = 60
# Network prefixes that count as one client for per-network limits: an IPv4 /24 or an IPv6
# /48 is what one subscriber (or one attacker) easily holds many addresses of.
NETWORK_PREFIX = {4: 24, 6: 48}


def rate_parse(rate: str) -> tuple[int, int]:
    """``"10/m"`` → (10, 60): so many hits per second / minute / hour / day."""
    count, _, period = rate.partition("/")
    unit = period.strip().lower()[:1]
    if not count.strip().isdecimal() or unit not in _PERIODS:
        raise ValueError(f"A rate looks like '10/m' (s, m, h or d), not {rate!r}.")
    return int(count), _PERIODS[unit]


class LocalCounters:
    """Thread-safe expiring counters in this process, at most ``max_keys`` of them.

    Expired windows are dropped first when the store is full; if it is still full, the tenth
    of the counters with the lowest counts (the oldest among equals) goes, so a flood of
    one-off keys evicts other one-off keys, not the counter of a code under attack.
    """

    def __init__(self, max_keys: int = 10_000) -> None:
        self.max_keys = max_keys
        self._lock = threading.Lock()
        self._entries: dict[str, list[float]] = {}  # key → [count, expires at (epoch s)]

    def __len__(self) -> int:
        return len(self._entries)

    def incr(self, key: str, *, expires_at: float, now: float, delta: int = 1) -> int:
        """Add ``delta`` to ``key`` (created at 0 unless ``delta`` < 0) and return its count."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[1] <= now:
                if delta < 0:
                    self._entries.pop(key, None)
                    return 0
                self._make_room(now)
                entry = self._entries[key] = [0, expires_at]
            entry[0] += delta
            return int(entry[0])

    def get(self, key: str, *, now: float) -> int:
        with self._lock:
            entry = self._entries.get(key)
            return int(entry[0]) if entry is not None and entry[1] > now else 0

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def _make_room(self, now: float) -> None:
        if len(self._entries) < self.max_keys:
            return
        for key in [key for key, (_, expires) in self._entries.items() if expires <= now]:
            del self._entries[key]
        if len(self._entries) < self.max_keys:
            return
        # sorted() is stable: among equal counts the oldest-inserted go first.
        lowest = sorted(self._entries.items(), key=lambda item: item[1][0])
        for key, _ in lowest[: max(1, self.max_keys // 10)]:
            del self._entries[key]


local_counters = LocalCounters()

_state_lock = threading.Lock()
# The cache (by its BACKEND and LOCATION) that failed → when to try it again.
_cache_retry_at: dict[str, float] = {}
_last_logged_at = float("-inf")


def _cache_identity() -> str:
    config = settings.CACHES.get("default", {})
    return f"{config.get('BACKEND')}|{config.get('LOCATION')}"


def _cache_failed(error: Exception, now: float) -> None:
    global _last_logged_at
    with _state_lock:
        _cache_retry_at[_cache_identity()] = time.monotonic() + CACHE_RETRY_SECONDS
        log = now - _last_logged_at >= LOG_EVERY_SECONDS
        if log:
            _last_logged_at = now
    if log:
        logger.warning(
            "Rate-limit cache unavailable (%s: %s); counting in this process, so each worker "
            "allows up to the limit until the cache answers again.",
            type(error).__name__,
            error,
        )


def _cache_skipped() -> bool:
    retry_at = _cache_retry_at.get(_cache_identity())
    return retry_at is not None and time.monotonic() < retry_at


def fallback_reset() -> None:
    """Forget local counts and cache failures (tests; nothing else needs it)."""
    global _last_logged_at
    local_counters.clear()
    with _state_lock:
        _cache_retry_at.clear()
        _last_logged_at = float("-inf")


def _window(key: str, period: int, now: float) -> tuple[str, float]:
    window = int(now // period)
    return f"ratelimit:{key}:{window}", (window + 1) * period


def _cache_count(cache_key: str, period: int) -> int:
    # add() is atomic: exactly one caller creates the counter, everybody else increments it.
    if cache.add(cache_key, 1, timeout=period + 1):
        return 1
    try:
        return cache.incr(cache_key)
    except ValueError:  # the counter expired between add() and incr()
        cache.add(cache_key, 1, timeout=period + 1)
        return 1


def rate_limit_count(key: str, period: int, *, now: float | None = None) -> int:
    """Count one hit for ``key`` in the current window of ``period`` seconds and return the
    number of hits in that window so far, this one included (atomic: concurrent callers get
    different numbers). While the cache is down it is counted in this process instead, so with
    N gunicorn workers a limit checked against it allows up to N× as many hits."""
    now = time.time() if now is None else now
    cache_key, expires_at = _window(key, period, now)
    if not _cache_skipped():
        try:
            return _cache_count(cache_key, period)
        except Exception as error:  # any cache failure: count locally instead
            _cache_failed(error, now)
    return local_counters.incr(cache_key, expires_at=expires_at, now=now)


def rate_limit_peek(key: str, period: int, *, now: float | None = None) -> int:
    """The hits counted for ``key`` in the current window of ``period`` seconds (none added)."""
    now = time.time() if now is None else now
    cache_key, _ = _window(key, period, now)
    if not _cache_skipped():
        try:
            return int(cache.get(cache_key) or 0)
        except Exception as error:  # any cache failure: read locally instead
            _cache_failed(error, now)
    return local_counters.get(cache_key, now=now)


def rate_limit_refund(key: str, period: int, *, now: float) -> None:
    """Take back one hit counted by :func:`rate_limit_count` at ``now`` (same window), e.g. a
    lookup that turned out to be right. Best effort: a refund lost to an outage only makes the
    limit a little stricter."""
    cache_key, expires_at = _window(key, period, now)
    if not _cache_skipped():
        try:
            cache.decr(cache_key)
            return
        except ValueError:  # the counter has expired, or was counted locally
            pass
        except Exception as error:  # any cache failure: refund locally instead
            _cache_failed(error, now)
    local_counters.incr(cache_key, expires_at=expires_at, now=now, delta=-1)


def rate_limit_hit(key: str, limit: int, period: int) -> bool:
    """Count one hit for ``key``; True when it goes over ``limit`` hits in the current window of
    ``period`` seconds (the hit is counted either way)."""
    return rate_limit_count(key, period) > limit


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


def client_network(address: str) -> str:
    """The network ``address`` belongs to (IPv4 /24, IPv6 /48; an IPv4-mapped IPv6 address
    counts as IPv4); anything that is not an IP address stands for itself."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return address
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return str(ipaddress.ip_network(f"{ip}/{NETWORK_PREFIX[ip.version]}", strict=False))
