"""The machine's own names and addresses, for serving phones on the same wifi."""

from __future__ import annotations

import ipaddress
import socket


def own_hosts() -> list[str]:
    """Return this machine's host names and IP addresses (loopback and LAN), never raises.

    The LAN address is the one the operating system would route outwards from: a UDP socket
    is "connected" to a documentation address, which sends nothing.
    """
    found: list[str] = []
    name = socket.gethostname()
    found += [name, socket.getfqdn()]
    try:
        _, aliases, addresses = socket.gethostbyname_ex(name)
        found += aliases + addresses
    except OSError:
        pass
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))
            found.append(probe.getsockname()[0])
    except OSError:
        pass
    return list(dict.fromkeys(h for h in found if h))


def lan_addresses() -> list[str]:
    """Return the machine's IP addresses that phones on a LAN could reach (not loopback)."""
    out = []
    for host in own_hosts():
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            continue
        if not address.is_loopback and not address.is_unspecified:
            out.append(host)
    return out


def is_loopback_host(host: str) -> bool:
    """True when ``host`` (a Host header, maybe with a port) is ``localhost`` or a loopback IP."""
    name = host
    if name.startswith("["):
        name = name[1 : name.find("]")]
    elif name.count(":") == 1:
        name = name.split(":")[0]
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False
