"""The server-rendered pages: search, actor, proposition, document, paste-an-article.

Routes gather what a page shows through ``claimgraph.query`` and hand plain dicts to the
templates; presentation helpers (colours, highlighting) live here and in ``highlight``.
"""
from __future__ import annotations

from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from .. import query as q
from ..errors import ClaimgraphError
from ..query import pages as qp
from ..query._common import actor_names
from ..store import Store
from .app import html_response
from .highlight import KINDS, record_annotations, segments, sentence_segments
from .ingest import check_origin, check_token, ingest_payload, read_payload

router = APIRouter(include_in_schema=False)

# PLOVER's 16 types by family: cooperation in greens/blues, verbal conflict in ambers,
# material conflict in reds. One table for the legend, the graph and the badges.
EVENT_COLOURS = {
    "AGREE": "#2e7d32", "CONSULT": "#00897b", "SUPPORT": "#43a047", "CONCEDE": "#7cb342",
    "COOPERATE": "#0277bd", "AID": "#1565c0", "RETREAT": "#5e35b1", "REQUEST": "#6d8fb3",
    "ACCUSE": "#ef6c00", "REJECT": "#f9a825", "THREATEN": "#d84315", "PROTEST": "#8d6e63",
    "SANCTION": "#ad1457", "MOBILIZE": "#c62828", "COERCE": "#b71c1c", "ASSAULT": "#7f0000",
}
UNKNOWN_COLOUR = "#757575"
PROPOSITION_CLAIMS = 60

Str = Annotated[str | None, Query(max_length=1000)]


def _colour(event_type) -> str:
    return EVENT_COLOURS.get(str(event_type or "").upper(), UNKNOWN_COLOUR)


def _url(kind: str, ident) -> str:
    return f"/{kind}/{quote(str(ident), safe='')}"


def install_filters(env) -> None:
    env.filters["colour"] = _colour
    env.filters["actor_url"] = lambda a: _url("actors", a)
    env.filters["doc_url"] = lambda d: _url("documents", d)
    env.filters["prop_url"] = lambda p: _url("propositions", p)
    env.filters["urlq"] = lambda v: quote(str(v), safe="")
    env.filters["safe_href"] = _safe_href
    env.globals["EVENT_COLOURS"] = EVENT_COLOURS
    env.globals["KINDS"] = KINDS


def _safe_href(url) -> str | None:
    """Only http(s) links from article metadata become links (no javascript: URLs)."""
    url = str(url or "").strip()
    return url if url.lower().startswith(("http://", "https://")) else None


def _linker(path: str, **fixed):
    def link(**change):
        params = {**fixed, **change}
        query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
        return f"{path}?{query}" if query else path
    return link


@router.get("/types.css")
def types_css():
    """Event-type colours as CSS classes, from the same table the graph uses."""
    rules = [f".et-{t}{{background:{c}}}" for t, c in EVENT_COLOURS.items()]
    return Response("\n".join(rules) + "\n", media_type="text/css",
                    headers={"cache-control": "max-age=3600"})


def _store(request: Request):
    return request.app.state.cg.store()


def _ask(request: Request, fn, *args, **kwargs):
    """A query through the server's cache (cleared by any commit to the database)."""
    return request.app.state.cg.cached(fn, *args, **kwargs)


def _render(request: Request, template: str, **context):
    context.setdefault("token_required", request.app.state.cg.token is not None)
    return html_response(request, template, context)


def _text_listing(request: Request, fn, path: str, template: str, text, offset: int):
    result = _ask(request, fn, text=text, limit=100, offset=offset)
    return _render(request, template, result=result, text=text or "", offset=offset,
                   link=_linker(path, text=text))


# -- search and home -------------------------------------------------------------------------
@router.get("/")
def home(request: Request):
    overview = _ask(request, Store.stats, top=10)
    disputed = _ask(request, q.propositions, disputed=True, limit=20, offset=0)
    top_actors = _ask(request, qp.actors, limit=24, offset=0)
    return _render(request, "home.html", overview=overview, disputed=disputed,
                   actors=top_actors, query="", filters={})


@router.get("/search")
def search_page(request: Request, q_: Annotated[str, Query(alias="q", max_length=1000)] = "",
                actor: Str = None, type: Str = None, stance: Str = None, outlet: Str = None,
                since: Str = None, until: Str = None,
                offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0):
    """Facet counts come from the full-text match; chosen facets narrow the two result
    lists through the same claim and document filters the CLI uses."""
    store = _store(request)
    text = q_.strip() or None
    filters = {k: v for k, v in {"actor": actor, "type": type, "stance": stance,
                                 "outlet": outlet, "since": since, "until": until}.items() if v}
    limit = request.app.state.cg.settings.api_page_size
    facets = _ask(request, q.search, text, facets=True, limit=1, offset=0)["facets"] if text else None
    claims = _ask(request, q.claims, text=text, actor=actor, type=type, stance=stance,
                  outlet=outlet, since=since, until=until, limit=limit, offset=offset)
    # Documents have no type or stance: those facets narrow the claims only.
    documents = _ask(request, q.documents, text=text, outlet=outlet, since=since, until=until,
                     actor=actor, limit=10, offset=0)
    names = actor_names(store, [actor] if actor else [])

    def link(**change):
        params = {"q": q_, **filters, **change}
        return "/search?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})

    return _render(request, "search.html", query=q_, filters=filters, facets=facets,
                   claims=claims, documents=documents, link=link, names=names)


# -- actor -------------------------------------------------------------------------------------
@router.get("/actors")
def actors_page(request: Request, text: Str = None,
                offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0):
    return _text_listing(request, qp.actors, "/actors", "actors.html", text, offset)


@router.get("/actors/{actor}")
def actor_page(request: Request, actor: Annotated[str, Path(max_length=200)],
               depth: Annotated[int, Query(ge=1, le=3)] = 1):
    profile = _ask(request, q.actor_profile, actor)
    actor_id = profile["actor"]["id"]
    graph = _ask(request, _network_elements, actor_id, depth)
    chart = _ask(request, _actor_timeline, actor_id)
    types = sorted({e["data"].get("type") for e in graph["elements"]["edges"]} - {None},
                   key=lambda t: list(EVENT_COLOURS).index(t) if t in EVENT_COLOURS else 99)
    return _render(request, "actor.html", profile=profile, graph=graph, depth=depth,
                   graph_payload={**_graph_payload(graph, actor_id), "depth": depth}, graph_types=types,
                   timeline_chart=chart)


def _network_elements(store, actor_id: str, depth: int) -> dict:
    return q.network_json(q.network(store, actor=actor_id, depth=depth))


def _actor_timeline(store, actor_id: str) -> dict:
    return _timeline_chart(q.timeline(store, actor_id), actor_id)


def _graph_payload(graph: dict, focus: str) -> dict:
    """network_json's elements with what the drawing needs: node weight (claims touching
    it), the focus flag, edge weight; and the colour table."""
    nodes = [dict(n["data"]) for n in graph["elements"]["nodes"]]
    edges = [dict(e["data"]) for e in graph["elements"]["edges"]]
    weight: dict[str, int] = {}
    for e in edges:
        e["weight"] = e.get("count") or len(e.get("claims") or []) or 1
        e.pop("dates", None)
        e["claims"] = len(e.get("claims") or [])
        for end in (e["source"], e["target"]):
            weight[end] = weight.get(end, 0) + e["weight"]
    labels = {n["id"]: n.get("label") or n["id"] for n in nodes}
    for e in edges:
        e["source_label"], e["target_label"] = labels.get(e["source"]), labels.get(e["target"])
    for n in nodes:
        n["weight"] = weight.get(n["id"], 0)
        n["focus"] = n["id"] == focus
    return {"elements": {"nodes": [{"data": n} for n in nodes], "edges": [{"data": e} for e in edges]},
            "colours": EVENT_COLOURS, "focus": focus}


_LANES = (("source", "acts"), ("target", "acted on"), ("speaker", "says"),
          ("via", "via"), ("chain", "relays"))


def _timeline_chart(items: list[dict], actor_id: str, width: int = 1100) -> dict:
    """Positions for an SVG strip: x by date, one lane per role. (Geometry as SVG attributes,
    not inline styles, so the page's CSP needs no 'unsafe-inline'.)"""
    from datetime import date

    def day(value):
        try:
            return date.fromisoformat(str(value)[:10])
        except ValueError:
            try:
                return date.fromisoformat(str(value)[:7] + "-01")
            except ValueError:
                return None

    dated = [(day(i.get("date")), i) for i in items]
    dated = [(d, i) for d, i in dated if d]
    if not dated:
        return {"dots": []}
    used = [key for key, _ in _LANES if any(key in (i.get("roles") or []) for _, i in dated)]
    lanes = [{"key": key, "label": label, "y": 22 + 26 * n}
             for n, (key, label) in enumerate((k, l) for k, l in _LANES if k in used)]
    lane_y = {lane["key"]: lane["y"] for lane in lanes}
    left, right = 70, width - 20
    first = min(d for d, _ in dated).toordinal()
    last = max(d for d, _ in dated).toordinal()
    span = max(1, last - first)

    def x(d):
        return round(left + (d.toordinal() - first) / span * (right - left), 1)

    # One dot per lane, day, event type and polarity, however many claims: a busy actor has
    # thousands of items, and the strip shows when, not how many (the title says).
    groups: dict[tuple, list] = {}
    for d, i in dated:
        role = next((r for r in lane_y if r in (i.get("roles") or [])), None)
        if role is None:
            continue
        denied = i.get("stance") == "deny" or i.get("polarity") == "negative"
        groups.setdefault((role, d, i.get("type"), denied), []).append(i)
    dots = []
    stacked: dict[tuple, int] = {}
    for (role, d, kind, denied), members in groups.items():
        i = members[0]
        cx = x(d)
        nudge = stacked.get((role, cx), 0)
        stacked[(role, cx)] = nudge + 1
        who = lambda side: ", ".join(a["name"] for a in i.get(side) or [])  # noqa: E731
        title = (f"{d.isoformat()} · {kind or 'claim'}"
                 + (f" · {who('source')} → {who('target')}" if kind else "")
                 + (" · denied" if denied else "")
                 + (f" · {len(members)} claims" if len(members) > 1 else
                    f" · {i.get('speaker_name') or i.get('outlet') or 'outlet'}"
                    f" ({i.get('outlet') or '?'}, {i.get('published') or '?'})"))
        dots.append({"x": round(cx + (nudge % 4) * 4, 1), "y": lane_y[role] + (nudge // 4) * 3,
                     "colour": _colour(kind) if kind else "#90a4ae", "denied": denied,
                     "title": title, "href": _url("documents", i["doc_id"]),
                     "r": 5 if len(members) < 5 else 6.5})
    height = 22 + 26 * len(lanes) + 10
    ticks, seen = [], set()
    for d, _ in sorted(dated, key=lambda t: t[0]):
        label = d.strftime("%b %-d") if span <= 120 else d.strftime("%Y-%m")
        tick_x = x(d)
        if label in seen or any(abs(tick_x - t["x"]) < 60 for t in ticks):
            continue
        seen.add(label)
        ticks.append({"x": tick_x, "label": label})
    return {"width": width, "height": height + 14, "left": left, "lanes": lanes, "dots": dots,
            "ticks": ticks, "items": len(items)}


# -- proposition ------------------------------------------------------------------------------
@router.get("/propositions")
def propositions_page(request: Request, disputed: bool = False, actor: Str = None,
                      offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0):
    result = _ask(request, q.propositions, disputed=disputed, actor=actor, limit=100, offset=offset)
    return _render(request, "propositions.html", result=result, disputed=disputed,
                   actor=actor or "", offset=offset,
                   link=_linker("/propositions", disputed="true" if disputed else None, actor=actor))


@router.get("/propositions/{prop_id:path}")
def proposition_page(request: Request, prop_id: Annotated[str, Path(max_length=500)]):
    prop = _ask(request, q.proposition, prop_id)
    # A much-reported event has hundreds of claims a side: show the first of each, say how
    # many more (the JSON and /search hold them all).
    shown = {side: (prop.get(side) or [])[:PROPOSITION_CLAIMS] for side in ("asserting", "denying")}
    sentences = {c["id"]: _claim_sentence(c) for claims in shown.values() for c in claims}
    return _render(request, "proposition.html", prop=prop, shown=shown, sentences=sentences)


def _claim_sentence(claim: dict) -> list:
    """The attribution's text with its source, cue, content and trigger marked (the claim's
    spans are document offsets; its text starts at ``span[0]``)."""
    text, span = claim.get("text"), claim.get("span")
    if not text or not span:
        return []
    base = span[0]
    spans = {}
    for name, key in (("content", "content_span"), ("source", "source_span"), ("cue", "cue_span")):
        if claim.get(key):
            spans[name] = [claim[key][0] - base, claim[key][1] - base]
    trigger = (claim.get("event") or {}).get("trigger_span")
    if trigger:
        spans["trigger"] = [trigger[0] - base, trigger[1] - base]
    return sentence_segments(text, spans)


# -- document ---------------------------------------------------------------------------------
@router.get("/documents")
def documents_page(request: Request, text: Str = None,
                   offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0):
    return _text_listing(request, q.documents, "/documents", "documents.html", text, offset)


@router.get("/documents/{doc_id:path}")
def document_page(request: Request, doc_id: Annotated[str, Path(max_length=500)]):
    store = _store(request)
    record = _ask(request, q.document, doc_id)
    text = record.get("text") or ""
    pieces = segments(text, record_annotations(record))
    referenced = {x for c in record.get("claims") or [] for x in
                  [c.get("speaker"), *(c.get("chain") or []),
                   *(a for r in ("source", "target", "via") for a in ((c.get("event") or {}).get(r) or []))]
                  if isinstance(x, str)}
    names = actor_names(store, referenced)
    names.update({a["id"]: a.get("name") or a["id"] for a in record.get("actors") or [] if a.get("id")})
    details = _document_details(record, names)
    return _render(request, "document.html", record=record, pieces=pieces, names=names,
                   details=details, claims=record.get("claims") or [])


def _name(names: dict, actor_id) -> str:
    if actor_id is None:
        return "the outlet"
    found = names.get(actor_id)
    return f"{found} ({actor_id})" if found and found != actor_id else str(actor_id)


def _document_details(record: dict, names: dict) -> dict:
    """ref → {title, lines} for the hover card (rendered by app.js with textContent)."""
    details = {}
    for actor in record.get("actors") or []:
        bits = [actor.get("kind"), actor.get("country"), actor.get("sector"),
                "anonymous" if actor.get("anonymous") else None]
        details[f"a:{actor.get('id')}"] = {
            "title": f"{actor.get('name')} ({actor.get('id')})", "kind": "actor",
            "lines": [" · ".join(str(b) for b in bits if b)], "href": _url("actors", actor.get("id"))}
    for index, claim in enumerate(record.get("claims") or []):
        speaker = _name(names, claim.get("speaker"))
        chain = " → ".join(_name(names, a) for a in claim.get("chain") or [])
        lines = [f"{'denies' if claim.get('stance') == 'deny' else 'asserts'} · "
                 f"{claim.get('certainty') or '?'} · "
                 f"cue: {claim.get('cue') or '—'} · quote: {claim.get('quote') or '—'}"]
        if chain and len(claim.get("chain") or []) > 1:
            lines.append(f"chain: {chain}")
        event = claim.get("event")
        if event:
            who = lambda role: ", ".join(_name(names, a) for a in event.get(role) or []) or "?"  # noqa: E731
            line = f"event {event.get('type')}: {who('source')} → {who('target')}"
            if event.get("via"):
                line += f" via {who('via')}"
            lines.append(line)
            date = event.get("date") or {}
            extra = [event.get("modality"), date.get("value") if isinstance(date, dict) else date]
            lines.append(" · ".join(str(x) for x in extra if x))
        details[f"c:{index}"] = {"title": f"Claim {index + 1} · {speaker}", "kind": "claim",
                                 "lines": [line for line in lines if line]}
        for f, term in enumerate(claim.get("framing") or []):
            if isinstance(term, dict):
                target = term.get("target")
                details[f"f:{index}:{f}"] = {
                    "title": f"Framing: “{term.get('text')}”", "kind": "framing",
                    "lines": [f"characterises {_name(names, target)}" if target else "evaluative term"]}
    return details


# -- paste an article ---------------------------------------------------------------------------
@router.get("/ingest")
def ingest_page(request: Request):
    return _render(request, "ingest.html", values={}, error=None)


@router.post("/documents")
async def ingest_form(request: Request):
    """The paste form posts here; a script can too (same fields as POST /api/documents)."""
    payload = {}
    try:
        payload = await read_payload(request)
        check_origin(request)
        check_token(request, request.app.state.cg, payload)
        result = await run_in_threadpool(ingest_payload, request.app.state.cg, payload)
    except ClaimgraphError as exc:
        from .app import status_of

        values = {k: v for k, v in payload.items() if k != "token"}
        return html_response(request, "ingest.html",
                             {"values": values, "error": exc,
                              "token_required": request.app.state.cg.token is not None},
                             status=status_of(exc))
    return RedirectResponse(result["links"]["page"], status_code=303)

