"""Who is asking: the client address behind the trusted proxies, the one rule every limiter and log uses.

A client's own ``X-Forwarded-For`` is never believed: only hops added by a proxy listed in
``TICKERWIRE_TRUSTED_PROXIES`` (addresses or networks) count, read from the right, so a forged left part of
the header cannot choose the address a limit is counted against.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

_Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple[_Network, ...]:
    return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in spec if item.strip())


def _trusted(address: str, networks: tuple[_Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in networks)


def in_networks(address: str, spec: list[str] | tuple[str, ...]) -> bool:
    """Return whether ``address`` lies in one of the networks written in ``spec`` (a setting's list)."""
    return _trusted(address, _networks(tuple(spec)))


def client_ip(request: HttpRequest) -> str:
    """Return the address of the client: the nearest ``X-Forwarded-For`` hop not added by a trusted proxy."""
    remote = str(request.META.get("REMOTE_ADDR") or "")
    networks = _networks(tuple(getattr(settings, "TICKERWIRE_TRUSTED_PROXIES", ())))
    if not networks or not _trusted(remote, networks):
        return remote
    hops = [hop.strip() for hop in str(request.META.get("HTTP_X_FORWARDED_FOR") or "").split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, networks):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return remote
    return hops[0] if hops else remote
