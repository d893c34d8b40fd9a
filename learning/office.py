"""The office set-up (`DEMO=0 make run`): one computer of an organisation
serves Pendamping to its staff, and to the phones on its network.

What it needs before Django starts lives here, free of settings: the secret
key kept in `.env` (the settings refuse to start without one), and the names
and addresses this computer answers to.

    python -m learning.office secret-key      # write .env's SECRET_KEY once
    python -m learning.office address         # the address phones can use
"""

import os
import socket
import sys
from pathlib import Path

from django.core.management.utils import get_random_secret_key

ENV_FILE = Path(__file__).resolve().parent.parent / ".env"
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
# Recognised in HOST, not bound to here (gunicorn binds what HOST says).
ALL_INTERFACES = {"0.0.0.0", "::"}  # noqa: S104


def ensure_secret_key(*, env_file: Path = ENV_FILE) -> bool:
    """Give `env_file` a SECRET_KEY line unless it has one; True if written.

    The key is made once and kept: sessions, password-reset links and
    countersign links stay valid across restarts. An existing `.env` keeps
    its other lines; a new one is readable by its owner only.
    """
    lines = env_file.read_text().splitlines() if env_file.exists() else []
    for line in lines:
        name, _, value = line.partition("=")
        if name.strip().removeprefix("export ").strip() == "SECRET_KEY" and value:
            return False
    lines.append(f"SECRET_KEY={get_random_secret_key()}")
    if not env_file.exists():
        env_file.touch(mode=0o600)
    env_file.write_text("\n".join(lines) + "\n")
    return True


def lan_address() -> str | None:
    """This computer's address on its network, as the phones see it.

    A UDP socket's connect sends nothing: it only asks the routing table
    which interface would be used. None without a network.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1, never routed anywhere
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") or address in ALL_INTERFACES else address


def hosts_for(host: str) -> list[str]:
    """The names a request may carry in its Host header for `host` to answer.

    Bound to the loopback, only this computer itself; bound to all interfaces
    (0.0.0.0) or an address, also the computer's name and network address.
    """
    names = ["localhost", "127.0.0.1", "[::1]"]
    if host in LOOPBACK:
        return names
    computer = socket.gethostname()
    names += [computer, f"{computer}.local"]
    if host not in ALL_INTERFACES:
        names.append(host)
    if (address := lan_address()) and address not in names:
        names.append(address)
    return names


def public_address(host: str) -> str:
    """The address to give people for a server bound to `host`."""
    if host in LOOPBACK:
        return "127.0.0.1"
    if host in ALL_INTERFACES:
        return lan_address() or "127.0.0.1"
    return host


def _main(argv: list[str]) -> int:
    if argv == ["secret-key"]:
        if ensure_secret_key():
            print(f"SECRET_KEY baru disimpan di {ENV_FILE}; simpan berkas ini.")
        return 0
    if argv == ["address"]:
        print(public_address(os.environ.get("HOST", "127.0.0.1")))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
