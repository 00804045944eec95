"""Which host names mean this machine: one rule for the preview's Host check and deploy's guards."""

from __future__ import annotations

import ipaddress

WILDCARDS = frozenset({"", "0.0.0.0", "::"})
"""Bind addresses that mean every interface of this machine."""


def is_loopback(name: str) -> bool:
    """Tell whether NAME (a host name or address) reaches this machine through loopback.

    `localhost`, `*.localhost` (RFC 6761 reserves them) and every loopback address: all of
    127.0.0.0/8 and ::1, with or without IPv6 brackets or a trailing dot.
    """
    name = name.strip("[]").lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def is_this_machine(name: str) -> bool:
    """Loopback names and addresses, and the wildcard addresses a server binds to."""
    return is_loopback(name) or name.strip("[]") in WILDCARDS
