"""The JSON API under ``/api``. Each route validates its parameters, calls one function of
``claimgraph.query`` (the CLI's implementation) and returns what it returns."""
from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from .. import query as q
from ..query import pages as qp
from ..store import Store
from .app import Workbench
from .ingest import check_origin, check_token, ingest_payload, read_payload

router = APIRouter(prefix="/api")

ERRORS = {
    400: {"description": "Bad parameter (CG501)"},
    404: {"description": "Not found (CG502)"},
}

# Bounds keep every number a parameter can carry inside SQLite's 64-bit integers.
Limit = Annotated[int | None, Query(ge=1, le=1000, description="Rows per page (default [api] page_size).")]
Offset = Annotated[int, Query(ge=0, le=1_000_000_000, description="Rows to skip.")]
Date = Annotated[str | None, Query(max_length=32, description="ISO date, YYYY-MM-DD (or YYYY, YYYY-MM).")]
ActorParam = Annotated[str | None, Query(max_length=200, description="Actor id or name (resolved).")]
Text = Annotated[str | None, Query(max_length=1000, description="Full-text query (words, all must match).")]
EventType = Annotated[str | None, Query(max_length=40, description="PLOVER event type, e.g. AID.")]
Depth = Annotated[int, Query(ge=1, le=4, description="Hops from the actor.")]


def network_elements(store, **filters) -> dict:
    return q.network_json(q.network(store, **filters))


def cg(request: Request) -> Workbench:
    return request.app.state.cg


def page_size(request: Request, limit: int | None) -> int:
    return limit or cg(request).settings.api_page_size


@router.get("/health", summary="Liveness and store schema version")
def health(request: Request):
    store = cg(request).store()
    return {"status": "ok", "schema_version": store.schema_version}


@router.get("/stats", summary="Corpus counts and top actor pairs")
def stats(request: Request):
    return cg(request).cached(Store.stats)


@router.get("/documents", summary="Documents, filtered and paginated", responses=ERRORS)
def list_documents(request: Request, text: Text = None,
                   outlet: Annotated[str | None, Query(max_length=200)] = None,
                   since: Date = None, until: Date = None, actor: ActorParam = None,
                   limit: Limit = None, offset: Offset = 0):
    return cg(request).cached(q.documents, text=text, outlet=outlet, since=since, until=until,
                       actor=actor, limit=page_size(request, limit), offset=offset)


@router.get("/documents/{doc_id:path}", summary="One document: its record, text and near-duplicates",
            responses=ERRORS)
def get_document(request: Request, doc_id: Annotated[str, Path(max_length=500)]):
    return cg(request).cached(q.document, doc_id)


@router.post("/documents", status_code=201, summary="Extract and ingest one document",
             responses={201: {"description": "Stored; the summary and the record"},
                        400: {"description": "Bad field (CG501)"},
                        401: {"description": "Token missing or wrong (CG503)"},
                        413: {"description": "Body over [api] max_body_bytes (CG504)"},
                        422: {"description": "Input refused (CG1xx)"}},
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/json": {"schema": {
                     "type": "object", "additionalProperties": False,
                     "properties": {k: {"type": "string"} for k in (
                         "text", "html", "id", "title", "url", "outlet", "published", "format")}}},
                 "text/plain": {"schema": {"type": "string"}},
                 "text/html": {"schema": {"type": "string"}}}}})
async def post_document(request: Request):
    """A JSON object `{"text"|"html", "id", "title", "url", "outlet", "published"}`, or a raw
    `text/plain` / `text/html` body (metadata in the query string). Re-posting the same id
    replaces the document. When the server has a token, send `Authorization: Bearer TOKEN`."""
    check_origin(request)
    payload = await read_payload(request)
    check_token(request, cg(request), payload)
    result = await run_in_threadpool(ingest_payload, cg(request), payload)
    return JSONResponse(result, status_code=201)


@router.get("/actors", summary="Actors, by name or id, most referred-to first", responses=ERRORS)
def list_actors(request: Request, text: Annotated[str | None, Query(max_length=200)] = None,
                kind: Annotated[str | None, Query(max_length=40)] = None,
                country: Annotated[str | None, Query(max_length=10)] = None,
                limit: Limit = None, offset: Offset = 0):
    return cg(request).cached(qp.actors, text=text, kind=kind, country=country,
                     limit=page_size(request, limit), offset=offset)


@router.get("/actors/{actor}", summary="An actor's profile", responses=ERRORS)
def get_actor(request: Request, actor: Annotated[str, Path(max_length=200)]):
    return cg(request).cached(q.actor_profile, actor)


@router.get("/actors/{actor}/timeline", summary="An actor's events over time", responses=ERRORS)
def get_actor_timeline(request: Request, actor: Annotated[str, Path(max_length=200)],
                       since: Date = None, until: Date = None):
    return get_timeline(request, actor, since=since, until=until)


@router.get("/actors/{actor}/network", summary="An actor's neighbourhood as Cytoscape.js elements",
            responses=ERRORS)
def get_actor_network(request: Request, actor: Annotated[str, Path(max_length=200)],
                      depth: Depth = 1, type: EventType = None, since: Date = None,
                      until: Date = None):
    return get_network(request, actor=actor, depth=depth, type=type, since=since, until=until)


@router.get("/claims", summary="Claims, filtered as `claimgraph claims`", responses=ERRORS)
def list_claims(request: Request, speaker: ActorParam = None, source: ActorParam = None,
                target: ActorParam = None, actor: ActorParam = None, type: EventType = None,
                since: Date = None, until: Date = None,
                stance: Literal["assert", "deny"] | None = None, text: Text = None,
                outlet: Annotated[str | None, Query(max_length=200)] = None,
                doc_id: Annotated[str | None, Query(max_length=500)] = None,
                proposition: Annotated[str | None, Query(max_length=500)] = None,
                limit: Limit = None, offset: Offset = 0):
    return cg(request).cached(q.claims, speaker=speaker, source=source, target=target,
                    actor=actor, type=type, since=since, until=until, stance=stance, text=text,
                    outlet=outlet, doc_id=doc_id, proposition=proposition,
                    limit=page_size(request, limit), offset=offset)


@router.get("/propositions", summary="Propositions (claims grouped by event)", responses=ERRORS)
def list_propositions(request: Request, disputed: bool = False, actor: ActorParam = None,
                      type: EventType = None,
                      status: Literal["uncorroborated", "corroborated", "disputed"] | None = None,
                      limit: Limit = None, offset: Offset = 0):
    return cg(request).cached(q.propositions, disputed=disputed, actor=actor, type=type,
                          status=status, limit=page_size(request, limit), offset=offset)


@router.get("/propositions/{prop_id:path}", summary="One proposition with the claims for and against",
            responses=ERRORS)
def get_proposition(request: Request, prop_id: Annotated[str, Path(max_length=500)]):
    return cg(request).cached(q.proposition, prop_id)


@router.get("/network", summary="The actor network as Cytoscape.js elements", responses=ERRORS)
def get_network(request: Request, actor: ActorParam = None, depth: Depth = 1,
                type: EventType = None, since: Date = None, until: Date = None):
    return cg(request).cached(network_elements, actor=actor, depth=depth, type=type, since=since,
                              until=until)


@router.get("/timeline", summary="An actor's events over time", responses=ERRORS)
def get_timeline(request: Request, actor: Annotated[str, Query(max_length=200)],
                 since: Date = None, until: Date = None):
    return cg(request).cached(q.timeline, actor, since=since, until=until)


@router.get("/search", summary="Full-text search over claims and documents, with facet counts",
            responses=ERRORS)
def search(request: Request, q_: Annotated[str, Query(alias="q", min_length=1, max_length=1000,
                                                      description="Words, all of which must match.")],
           facets: Annotated[bool, Query(description="Count matching claims by actor, type and "
                                                     "stance, documents by outlet and month.")] = True,
           limit: Limit = None, offset: Offset = 0):
    """Narrow by a facet with `/api/claims` and `/api/documents` (`text` = the same words)."""
    return cg(request).cached(q.search, q_, facets=facets, limit=page_size(request, limit),
                    offset=offset)
