"""How often one address may ask: a counter per client address in the cache.

For public pages that look something up by a code (certificate verification,
later countersign links): a few dozen tries a minute are plenty for a person
and make guessing codes slower still. The count lives in the project's cache,
so it is shared by every web process when the cache is Redis (production) and
kept per process with the embedded locmem cache (dev, the office set-up).

Where the site runs behind proxies (nginx in front of gunicorn), REMOTE_ADDR
is the proxy's own address and every visitor would share one counter:
`TRUSTED_PROXY_COUNT` (the number of proxies that append to X-Forwarded-For)
says which entry of that header the nearest trusted proxy saw. Entries to its
left are written by the client and are never trusted.
"""

import hashlib
import ipaddress
import logging

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def client_address(request: HttpRequest) -> str:
    """The address the request came from, as far as this site can trust it."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            remote = forwarded[-proxies]
    return remote


def _client_key(address: str) -> str:
    """One key per IPv4 address, per /64 network for IPv6 (a phone is handed
    a whole /64 and can change its address within it at will)."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address[:100]
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def allow(
    request: HttpRequest,
    *,
    bucket: str,
    limit: int,
    per_seconds: int,
    key: str | None = None,
) -> bool:
    """Count one request from the client's address in `bucket`; False once
    more than `limit` came within `per_seconds` of the first counted one.

    With `key` (a person's id, a link's or a device's token), the count is
    per that key, from whatever address: a guesser who changes address is
    still counted. The key is hashed, so no token is kept in the cache.

    The window starts at the first request and ends `per_seconds` later (the
    cache key expires): `add` then `incr`, each atomic in locmem and Redis, so
    twenty requests at once are counted twenty times. With a cache that has no
    native increment (file, database) a window can run longer than asked.

    Should the cache be unreachable, the request is allowed: a verification
    page that answers is worth more than a count that failed.
    """
    counted = f"key:{key}" if key is not None else _client_key(client_address(request))
    digest = hashlib.sha256(counted.encode()).hexdigest()
    cache_key = f"throttle:{bucket}:{digest[:32]}"
    try:
        cache.add(cache_key, 0, timeout=per_seconds)
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr: a new window
            cache.add(cache_key, 1, timeout=per_seconds)
            count = 1
    except Exception:  # noqa: BLE001 - any cache backend's connection error
        logger.warning("throttle: the cache did not answer; request allowed")
        return True
    return count <= limit


def address_and_key_allowed(
    request: HttpRequest,
    *,
    bucket: str,
    key: str | None,
    per_address: int,
    per_key: int,
    per_seconds: int,
) -> bool:
    """Count one request per address and, when there is one, per `key` (a
    link's or a device's token): False once either is over its limit.

    Both are counted on every request, so a guesser who spreads over many
    tokens meets the address limit, and one who moves between addresses
    meets the token's.
    """
    by_address = allow(
        request, bucket=bucket, limit=per_address, per_seconds=per_seconds
    )
    by_key = key is None or allow(
        request,
        bucket=f"{bucket}-kunci",
        key=key[:512],
        limit=per_key,
        per_seconds=per_seconds,
    )
    return by_address and by_key


def too_many_message(seconds: int) -> str:
    """The words of a 429: how long to wait, in minutes or seconds."""
    if seconds >= 60:
        return _(
            "Terlalu banyak permintaan. Tunggu %(minutes)s menit, lalu coba lagi."
        ) % {"minutes": max(1, round(seconds / 60))}
    return _("Terlalu banyak permintaan. Tunggu %(seconds)s detik, lalu coba lagi.") % {
        "seconds": seconds
    }


def too_many_page(request: HttpRequest, *, seconds: int) -> HttpResponse:
    """A page that says to wait (429, Retry-After)."""
    response = render(
        request,
        "learning/throttled.html",
        {"message": too_many_message(seconds)},
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response


def too_many_json(*, seconds: int) -> JsonResponse:
    """The API's 429: `{"detail": "..."}` like every other refusal."""
    response = JsonResponse({"detail": too_many_message(seconds)}, status=429)
    response["Retry-After"] = str(seconds)
    return response


class ApiThrottleMiddleware:
    """Every request to /api/ is counted per address and, when it carries a
    device's sync key (`Authorization: Bearer …`), per key.

    A training room shares one address, and twenty phones sync there at
    once after a session: the address limit is sized for a room
    (`PENDAMPING_API_LIMIT_PER_ADDRESS`), the key's for one phone
    (`PENDAMPING_API_LIMIT_PER_TOKEN`), both per
    `PENDAMPING_API_LIMIT_SECONDS`. Counted before any query, so a flood
    costs the cache, not the database.
    """

    prefix = "/api/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(self.prefix):
            seconds = settings.PENDAMPING_API_LIMIT_SECONDS
            if not address_and_key_allowed(
                request,
                bucket="api",
                key=_bearer_token(request),
                per_address=settings.PENDAMPING_API_LIMIT_PER_ADDRESS,
                per_key=settings.PENDAMPING_API_LIMIT_PER_TOKEN,
                per_seconds=seconds,
            ):
                return too_many_json(seconds=seconds)
        return self.get_response(request)


def _bearer_token(request: HttpRequest) -> str | None:
    scheme, _space, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return None
    return token
