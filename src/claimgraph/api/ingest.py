"""``POST /api/documents`` and the paste form: a body in, a stored record out.

The same path as ``claimgraph ingest``: the ingest checks (``max_chars``, empty text), HTML
extraction, ``extract_documents`` and ``Store.write_records``; nothing here parses language.
"""
from __future__ import annotations

import hmac
import json
import re
from urllib.parse import parse_qs, quote, urlsplit

from fastapi import Request

from ..errors import BadQueryParameter, ClaimgraphError, InputError, MalformedRecord, Unauthorized
from ..ingest import extract_html
from ..ingest._common import Context
from ..ingest.dates import normalise_date
from .app import Workbench

FIELDS = ("text", "html", "id", "title", "url", "outlet", "published", "format", "token")
_LOOKS_LIKE_HTML = re.compile(r"<\s*(html|body|p|div|article|h[1-6]|br|span|head)\b", re.I)


async def read_payload(request: Request) -> dict:
    """The fields of a JSON object, a urlencoded form, or a raw text/HTML body (metadata from
    the query string then)."""
    raw = await request.body()
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        body = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedRecord("the request body is not UTF-8") from exc
    if kind == "application/json":
        try:
            payload = json.loads(body) if body.strip() else {}
        except json.JSONDecodeError as exc:
            raise MalformedRecord(f"the request body is not JSON: {exc.msg}") from exc
        if not isinstance(payload, dict):
            raise MalformedRecord("the JSON body must be an object")
    elif kind == "application/x-www-form-urlencoded":
        payload = {k: v[-1] for k, v in parse_qs(body, keep_blank_values=True).items()}
    elif kind in ("text/plain", "text/html", ""):
        payload = {k: v for k, v in request.query_params.items() if k in FIELDS}
        payload["html" if kind == "text/html" else "text"] = body
    else:
        raise MalformedRecord(f"unsupported content type {kind!r}: send application/json, a "
                              "form, text/plain or text/html")
    for name in FIELDS:
        value = payload.get(name)
        if value is not None and not isinstance(value, str):
            raise MalformedRecord(f"field {name!r} must be a string, not {type(value).__name__}")
    return {k: v for k, v in payload.items() if k in FIELDS and v not in (None, "")}


def check_origin(request: Request) -> None:
    """A page on another site may post a form to a loopback server; browsers say where a
    request comes from, so refuse cross-site ones."""
    if request.headers.get("sec-fetch-site") == "cross-site":
        raise Unauthorized("cross-site request refused")
    origin = request.headers.get("origin")
    if origin and origin != "null":
        host = request.headers.get("host", "")
        if urlsplit(origin).netloc.lower() != host.lower():
            raise Unauthorized(f"request from origin {origin!r} refused")
    elif origin == "null":
        raise Unauthorized("request from an opaque origin refused")


def check_token(request: Request, cg: Workbench, payload: dict) -> None:
    if cg.token is None:
        return
    offered = []
    auth = request.headers.get("authorization", "")
    if auth[:7].lower() == "bearer ":
        offered.append(auth[7:].strip())
    if request.headers.get("x-claimgraph-token"):
        offered.append(request.headers["x-claimgraph-token"])
    if payload.get("token"):
        offered.append(payload["token"])
    expected = cg.token.encode()
    if not any(hmac.compare_digest(t.encode(), expected) for t in offered):
        raise Unauthorized("this server requires a token for writes (Authorization: Bearer …)")


def ingest_payload(cg: Workbench, payload: dict) -> dict:
    """Extract and store one document; returns a summary with the record. Runs in a worker
    thread (extraction takes a while)."""
    from ..extract import extract_documents

    fmt = payload.get("format", "auto")
    if fmt not in ("auto", "text", "html"):
        raise BadQueryParameter(f"format must be auto, text or html, not {fmt!r}")
    text, html = payload.get("text"), payload.get("html")
    if text is not None and html is not None:
        raise MalformedRecord("send either text or html, not both")
    if html is None and text is not None and (
            fmt == "html" or (fmt == "auto" and _LOOKS_LIKE_HTML.search(text[:4096]))):
        html, text = text, None
    published = payload.get("published")
    if published and normalise_date(published) is None:
        raise BadQueryParameter(f"published is not a date: {published!r} (use YYYY-MM-DD)")
    meta = {"title": payload.get("title"), "url": payload.get("url"),
            "outlet": payload.get("outlet"), "published": published}
    if html is not None:
        if len(html) > cg.settings.max_chars * 10:
            raise InputError("the HTML is too large for max_chars", code="CG104")
        found = extract_html(html, url=payload.get("url"), where="request")
        text = found["text"]
        for key in ("title", "url", "outlet", "published"):
            meta[key] = meta[key] or found.get(key)
    if text is None:
        raise MalformedRecord("the document has no text (send text or html)")
    document = Context(cg.settings).document(text, where="request", id=payload.get("id"), **meta)
    document.meta = {"format": "html" if html is not None else "text", "via": "api"}
    (result,) = list(extract_documents([document], cg.settings, nlp=cg.nlp(), n_process=1))
    if isinstance(result, ClaimgraphError):
        raise result
    with cg.writer() as store:
        written = store.write_records([result], strict=True)
    events = sum(1 for c in result.get("claims", []) if c.get("event"))
    return {
        "doc_id": result["doc_id"], "title": result.get("title"),
        "replaced": bool(written.replaced),
        "actors": len(result.get("actors", [])), "claims": len(result.get("claims", [])),
        "events": events,
        "links": {"page": f"/documents/{quote(result['doc_id'], safe='')}",
                  "api": f"/api/documents/{quote(result['doc_id'], safe='')}"},
        "record": result,
    }
