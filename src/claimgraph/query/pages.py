"""Questions only the workbench asks (the actor list behind /actors and /api/actors).
Parameterised SQL only, in the style of the rest of ``query``."""
from __future__ import annotations

from ..errors import BadQueryParameter
from ..store import Store


def _page(limit: int, offset: int) -> tuple[int, int]:
    try:
        limit, offset = int(limit), int(offset)
    except (TypeError, ValueError) as exc:
        raise BadQueryParameter("limit and offset must be integers") from exc
    if limit < 1 or offset < 0:
        raise BadQueryParameter("limit must be positive and offset not negative")
    return limit, offset


def actors(store: Store, *, text: str | None = None, kind: str | None = None,
           country: str | None = None, limit: int = 50, offset: int = 0) -> dict:
    """Actors whose id or name contains ``text`` (case-insensitive), most documents first."""
    limit, offset = _page(limit, offset)
    where, params = [], []
    if text:
        # instr, not LIKE: a user's % and _ are plain characters here.
        where.append("(instr(lower(a.name), lower(?)) > 0 OR instr(lower(a.id), lower(?)) > 0)")
        params += [text, text]
    if kind:
        where.append("a.kind = ?")
        params.append(kind)
    if country:
        where.append("a.country = ?")
        params.append(country.upper())
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    total = store.query(f"SELECT count(*) AS n FROM actors a {clause}", params)[0]["n"]
    items = store.query(
        "SELECT a.id, a.name, a.country, a.sector, a.kind, a.anonymous, "
        "(SELECT count(*) FROM document_actors da WHERE da.actor_id = a.id) AS documents, "
        "(SELECT count(*) FROM claims c WHERE c.speaker = a.id) AS claims "
        f"FROM actors a {clause} ORDER BY documents DESC, a.id LIMIT ? OFFSET ?",
        params + [limit, offset])
    return {"total": total, "items": items, "limit": limit, "offset": offset}
