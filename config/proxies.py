"""Who the client is, behind NUM_PROXIES reverse proxies of our own (settings).

The same rule as DRF's throttles (rest_framework.throttling.BaseThrottle.get_ident):
with no proxy the connection's address (REMOTE_ADDR), whatever X-Forwarded-For
says; behind N proxies the N-th address from the right of X-Forwarded-For, the one
our outermost proxy saw, since everything left of it was written by the client.
"""

from django.conf import settings


def client_address(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    proxies = getattr(settings, "NUM_PROXIES", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if not proxies or not forwarded:
        return remote
    addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
    if not addresses:
        return remote
    return addresses[-min(proxies, len(addresses))]
