"""``parley serve``: the negotiation room on this machine (FastAPI under uvicorn).

Like Jupyter, it prints an address holding the operator's key; only with that key may
sessions be created and scenarios imported, unless ``--open`` (a classroom on a trusted
network) lets anyone who reaches the server do so.
"""

from __future__ import annotations

import errno
import secrets
import socket
from typing import TYPE_CHECKING

import typer

from parley.cli.console import console
from parley.errors import UsageError

if TYPE_CHECKING:
    from parley.server.config import RoomConfig


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, min=0, max=65535, help="Port to listen on."),
    db: str = typer.Option(
        "sqlite:///parley-room.sqlite",
        help="Database URL: sqlite:///FILE (default) or postgresql://USER:PASSWORD@HOST/DB.",
    ),
    public_url: str = typer.Option(
        "", help="Where people reach the room (every link starts with it); default: this host."
    ),
    open_room: bool = typer.Option(
        False, "--open", help="Anyone who reaches the server may open sessions (no operator key)."
    ),
    key: str = typer.Option(
        "", envvar="PARLEY_OPERATOR_KEY", help="The operator's key (default: a new random one)."
    ),
    creations_per_minute: int = typer.Option(30, min=0, help="Per client; 0: no limit."),
    imports_per_minute: int = typer.Option(20, min=0, help="Per client; 0: no limit."),
    expire_days: float = typer.Option(
        30.0, min=0.0, help="Days without activity before an unfinished session is archived."
    ),
) -> None:
    """Host negotiations between people (and built-in strategies) in the browser."""
    import uvicorn  # deferred: the web stack loads only for this command

    from parley.server.app import create_app, tune_for_latency
    from parley.server.config import RoomConfig
    from parley.server.limits import MAX_WS_MESSAGE

    listening = _bind(host, port)  # before any address is printed: a busy port is one line
    port = listening.getsockname()[1]  # --port 0: the port the system chose
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0", "::1", "::") else host
    base = (public_url or f"http://{shown}:{port}").rstrip("/")
    config = RoomConfig(
        public_url=base,
        operator_key=None if open_room else key or secrets.token_urlsafe(24),
        creations_per_minute=creations_per_minute,
        imports_per_minute=imports_per_minute,
        expire_days=expire_days,
    )
    try:
        app = create_app(db, config)  # a bad --db fails here: one line, exit 2
    except BaseException:
        listening.close()
        raise
    tune_for_latency()
    _announce(config, host, public_url)
    # A frame over the room's limit is closed (1009) by uvicorn before it is buffered whole.
    settings = uvicorn.Config(
        app, host=host, port=port, log_level="warning", ws_max_size=4 * MAX_WS_MESSAGE
    )
    uvicorn.Server(settings).run(sockets=[listening])


def _bind(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` (uvicorn listens on it), or one line saying why not."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    except socket.gaierror as exc:
        raise UsageError(
            f"--host {host!r}: not an address of this machine ({exc.strerror})"
        ) from None
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(
                f"--port {port}: {host}:{port} is already in use by another program; "
                "expected a free port (choose one with --port)"
            ) from None
        raise UsageError(
            f"--host {host} --port {port}: cannot listen there ({exc.strerror}); expected an "
            "address of this machine and a port you may open"
        ) from None
    sock.set_inheritable(True)
    return sock


def _announce(config: RoomConfig, host: str, public_url: str) -> None:
    base = config.public_url
    if config.operator_key is None:
        console.print(
            f"Parley room: open [bold]{base}/[/] to start a session. --open: anyone who can "
            "reach this server may open sessions.",
            soft_wrap=True,  # one line, whatever the terminal's width
        )
    else:
        console.print("Parley room: to start a session, open this address (it holds the key):")
        console.print(f"    [bold]{base}/#key={config.operator_key}[/]", soft_wrap=True)
    if host in ("0.0.0.0", "::") and not public_url:
        console.print(
            f"Links will start with {base}; give --public-url for other machines.", soft_wrap=True
        )
