"""`claimgraph serve`: the analyst's workbench (web pages and JSON API) over one database."""
from __future__ import annotations

import ipaddress
import secrets

import click

from ..errors import ConfigError
from .options import db_option, settings_from


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@click.command()
@db_option()
@click.option("--host", default=None,
              help="Interface to bind (default [api] host, 127.0.0.1). Anything but loopback "
                   "requires a token for writes.")
@click.option("--port", type=click.IntRange(0, 65535), default=None,
              help="Port to listen on (default [api] port, 8000).")
@click.option("--token", envvar="CLAIMGRAPH_TOKEN", default=None,
              help="Secret that POST requests must carry (Authorization: Bearer TOKEN; env "
                   "CLAIMGRAPH_TOKEN). Required off loopback: one is generated and printed "
                   "when not given.")
@click.option("--log-level", type=click.Choice(["critical", "error", "warning", "info", "debug"]),
              default="info", show_default=True, help="uvicorn log level.")
@click.pass_context
def serve(ctx, db, host, port, token, log_level):
    """Serve the web workbench and the JSON API for DB.

    Pages: search with facets, actor profiles with their network graph and timeline,
    propositions with the claims for and against, documents with actors, cues, claims and
    events highlighted, and a form to paste an article. The API lives under /api (OpenAPI
    at /openapi.json, docs at /api/docs).
    """
    import uvicorn

    from ..api import create_app

    settings = settings_from(ctx)
    host = host or settings.api_host
    port = settings.api_port if port is None else port
    if token is not None and not token.strip():
        raise ConfigError("--token must not be empty")
    if not is_loopback(host) and not token:
        token = secrets.token_urlsafe(24)
        click.echo(f"binding to {host}: writes need a token; generated one:\n  {token}", err=True)
    app = create_app(db, token=token, settings=settings)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"claimgraph workbench on http://{shown}:{port}/  (API: /api, spec: /openapi.json)",
               err=True)
    uvicorn.run(app, host=host, port=port, log_level=log_level, server_header=False,
                limit_concurrency=200)


commands = [serve]
