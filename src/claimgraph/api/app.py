"""The app factory and the plumbing every route shares: one read-only store connection per
worker thread, a single writer, error bodies with codes, body-size cap, security headers."""
from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections import OrderedDict
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import (BadQueryParameter, ClaimgraphError, DatabaseNotFound, InputError,
                      ModelNotInstalled, NotFound, PayloadTooLarge, ProcessingFailed, QueryError,
                      RecordInvalid, StoreError, Unauthorized)
from ..settings import Settings, load_settings
from ..store import Store

log = logging.getLogger("claimgraph.api")

HERE = Path(__file__).resolve().parent

# Most specific first: the first class an error is an instance of decides its HTTP status.
_STATUS: tuple[tuple[type[ClaimgraphError], int], ...] = (
    (NotFound, 404),
    (BadQueryParameter, 400),
    (Unauthorized, 401),
    (PayloadTooLarge, 413),
    (QueryError, 400),
    (InputError, 422),
    # A document that crashed the pipeline or produced a record the store refuses is a
    # problem with that document; a missing model is the server's.
    (ProcessingFailed, 422),
    (RecordInvalid, 422),
    (ModelNotInstalled, 503),
    (DatabaseNotFound, 503),
)

# Scripts come from /static only, so markup that slipped past escaping still could not run.
# Styles allow inline: Cytoscape.js writes style attributes on its canvas container.
_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
_SECURITY_HEADERS = [
    (b"content-security-policy", _CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    # Not no-referrer: under it Chrome sends "Origin: null" on same-site form posts, which
    # the cross-site check must refuse. same-origin still keeps page URLs from article links.
    (b"referrer-policy", b"same-origin"),
]


def status_of(exc: ClaimgraphError) -> int:
    for cls, status in _STATUS:
        if isinstance(exc, cls):
            return status
    return 500


class Workbench:
    """What the routes share, kept on ``app.state.cg``."""

    CACHE_SIZE = 256

    def __init__(self, db_path: str, settings: Settings, token: str | None):
        self.db_path = str(db_path)
        self.settings = settings
        self.token = token or None
        self._local = threading.local()
        self._write_lock = threading.Lock()
        self._nlp_lock = threading.Lock()
        self._nlp = None
        self._cache: OrderedDict = OrderedDict()
        self._cache_lock = threading.Lock()
        self._cache_version: tuple | None = None
        # Create and migrate once with a writer: read-only connections cannot migrate, and a
        # fresh server over a new file should start empty rather than fail.
        try:
            Store(self.db_path, settings=settings).close()
        except StoreError:
            if not Path(self.db_path).is_file():
                raise
            log.warning("%s: cannot open for writing; serving read-only", self.db_path)

    # -- a result cache that any commit invalidates ------------------------------------------
    def _version(self) -> tuple:
        """Changes whenever a transaction commits, from this server or any other process: in
        WAL mode a commit grows the -wal file, a checkpoint rewrites the database file."""
        out = []
        for suffix in ("", "-wal"):
            try:
                st = os.stat(self.db_path + suffix)
                out.append((st.st_mtime_ns, st.st_size, st.st_ino))
            except OSError:
                out.append(None)
        return tuple(out)

    def cached(self, fn, *args, **kwargs):
        """``fn(self.store(), *args, **kwargs)``, remembered until the database changes.
        Results are shared between requests: callers must not mutate them."""
        version = self._version()
        key = (fn.__module__, fn.__qualname__, args, tuple(sorted(kwargs.items())))
        with self._cache_lock:
            if version != self._cache_version:
                self._cache.clear()
                self._cache_version = version
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        result = fn(self.store(), *args, **kwargs)
        with self._cache_lock:
            if version == self._cache_version:
                self._cache[key] = result
                while len(self._cache) > self.CACHE_SIZE:
                    self._cache.popitem(last=False)
        return result

    def store(self) -> Store:
        """This thread's read-only connection (sqlite3 connections are not shared across
        threads; the server's worker threads are long-lived, so each opens one once)."""
        store = getattr(self._local, "store", None)
        if store is None:
            store = Store(self.db_path, readonly=True, settings=self.settings,
                          check_same_thread=False)
            self._local.store = store
        return store

    @contextmanager
    def writer(self) -> Iterator[Store]:
        # One writer at a time: SQLite would serialise them anyway, and the lock keeps a slow
        # extraction from holding a write transaction open behind another.
        with self._write_lock:
            store = Store(self.db_path, settings=self.settings)
            try:
                yield store
            finally:
                store.close()

    def nlp(self):
        """The spaCy pipeline, loaded on the first POST (a read-only browse never pays)."""
        with self._nlp_lock:
            if self._nlp is None:
                from ..nlp.pipeline import load_pipeline

                self._nlp = load_pipeline(self.settings)
            return self._nlp


def wants_json(request: Request) -> bool:
    path = request.url.path
    if path.startswith("/api/") or path in ("/api", "/openapi.json"):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def error_response(request: Request, code: str, message: str, status: int):
    if wants_json(request):
        return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(
        request, "error.html", {"code": code, "message": message, "status": status},
        status_code=status)


class SecurityHeaders:
    """Pure ASGI (no BaseHTTPMiddleware): adds the security headers and Server-Timing to
    every response."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        started = time.perf_counter()

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                # Server time up to the first byte (templates render before it): what
                # bench/pages.py reports, and what a browser's devtools show.
                elapsed = (time.perf_counter() - started) * 1000
                headers.append((b"server-timing", f"app;dur={elapsed:.1f}".encode()))
                present = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in _SECURITY_HEADERS if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with CG504 (HTTP 413): at once when
    Content-Length says so, else as soon as a streamed body passes the limit."""

    def __init__(self, app, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = None
        for key, value in scope.get("headers", []):
            if key == b"content-length":
                try:
                    length = int(value)
                except ValueError:
                    length = None
        if length is not None and length > self.limit:
            return await self._refuse(scope, send)
        received = 0

        async def counting_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    # Raised inside request.body(): the app's error handler turns it into 413.
                    raise self._error()
            return message

        await self.app(scope, counting_receive, send)

    def _error(self) -> PayloadTooLarge:
        return PayloadTooLarge(f"request body larger than {self.limit:,} bytes "
                               "([api] max_body_bytes)")

    async def _refuse(self, scope, send):
        body = json.dumps({"error": {"code": PayloadTooLarge.code,
                                     "message": self._error().message}}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


def refuse_nul(request: Request) -> None:
    """NUL characters end strings inside SQLite's FTS5 query parser (an OperationalError, not
    a clean no-match) and mean nothing in an id or a word: refuse them up front."""
    for value in [*request.query_params.values(), *request.path_params.values()]:
        if isinstance(value, str) and "\x00" in value:
            raise BadQueryParameter("parameters must not contain NUL characters")


def create_app(db_path: str | Path, *, token: str | None = None,
               settings: Settings | None = None) -> FastAPI:
    """The workbench over ``db_path`` (created empty if missing). With ``token`` set, every
    POST must carry it (``Authorization: Bearer …``, ``X-Claimgraph-Token`` or a ``token``
    form field); ``claimgraph serve`` sets one whenever it binds beyond loopback."""
    from . import pages, routes

    settings = settings or load_settings()
    app = FastAPI(
        title="claimgraph",
        version="1",
        summary="Who says who did what to whom — through whom, how sure, and who denies it.",
        description=(
            "Read endpoints over a claimgraph store (documents, actors, claims, propositions, "
            "network, timeline, search) and `POST /api/documents` to extract and ingest an "
            "article. Lists are paginated as `{total, items, limit, offset}`; errors are "
            "`{\"error\": {\"code\", \"message\"}}` with a claimgraph error code (CG5xx)."),
        # No Swagger/ReDoc pages: they load their scripts from a CDN, and the workbench
        # makes no network call. The spec is at /openapi.json.
        docs_url=None, redoc_url=None, openapi_url="/openapi.json",
        dependencies=[Depends(refuse_nul)],
    )
    app.state.cg = Workbench(str(db_path), settings, token)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    pages.install_filters(templates.env)
    app.state.templates = templates

    @app.exception_handler(ClaimgraphError)
    async def _claimgraph_error(request: Request, exc: ClaimgraphError):
        status = status_of(exc)
        if status >= 500:
            log.error("%s %s: %s", request.method, request.url.path, exc.one_line())
        return error_response(request, exc.code, exc.message, status)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError):
        problems = []
        for error in exc.errors():
            where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("query", "path", "body"))
            problems.append(f"{where or 'request'}: {error.get('msg', 'invalid')}")
        return error_response(request, BadQueryParameter.code, "; ".join(problems) or "bad request", 400)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        code = NotFound.code if exc.status_code == 404 else QueryError.code
        message = "no such page" if exc.status_code == 404 else str(exc.detail)
        return error_response(request, code, message, exc.status_code)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        # A bug, not a user error: log the traceback, tell the client no more than the code.
        log.exception("%s %s failed", request.method, request.url.path)
        return error_response(request, ClaimgraphError.code, "internal error (see the server log)", 500)

    app.include_router(routes.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.add_middleware(BodyLimit, limit=settings.api_max_body_bytes)
    app.add_middleware(SecurityHeaders)
    return app


def html_response(request: Request, template: str, context: dict, status: int = 200) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(request, template, context, status_code=status)
