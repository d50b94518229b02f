"""``parley serve``: the negotiation room on this machine (FastAPI under uvicorn)."""

from __future__ import annotations

import typer

from parley.cli.console import console


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, min=0, max=65535, help="Port to listen on."),
    db: str = typer.Option(
        "sqlite:///parley-room.sqlite",
        help="Database URL: sqlite:///FILE (default) or postgresql://USER:PASSWORD@HOST/DB.",
    ),
) -> None:
    """Host negotiations between people (and built-in strategies) in the browser."""
    import uvicorn  # deferred: the web stack loads only for this command

    from parley.server.app import create_app, tune_for_latency
    from parley.server.limits import MAX_WS_MESSAGE

    app = create_app(db)  # a bad --db fails here: one line, exit 2
    tune_for_latency()
    shown = "localhost" if host in ("127.0.0.1", "0.0.0.0") else host
    console.print(f"Parley room: open [bold]http://{shown}:{port}/[/] to start a session.")
    # A frame over the room's limit is closed (1009) by uvicorn before it is buffered whole.
    uvicorn.run(app, host=host, port=port, log_level="warning", ws_max_size=4 * MAX_WS_MESSAGE)
