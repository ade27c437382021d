"""Propositions: one event as claimed across documents, with who asserts it, who denies it and
how many independent sources stand behind it. Maintained incrementally by a batch hook.

Definitions (the decisions an analyst needs to read the numbers):

* **Same event.** Claims carry the same proposition key when their events have the same
  PLOVER type and the same source and target actor sets. Actor ids are canonical already
  (aliases resolved by the KB); on top of that the *generic government* group actor of a
  state, ``<ISO3>-GOV`` ("Israeli officials", "the North Korean government"), folds into the
  state ``<ISO3>``, because news uses the two interchangeably for state acts. Other sectors
  are not folded: the NIS is not South Korea, Hamas is not Palestine, and ``ISR-MIL`` vs
  ``ISR`` is kept apart since which organ of a state acted is often what a report is about.
  Events with neither a source nor a target say nothing checkable and form no proposition.
  ``via`` is not part of the key (a route is a detail of the same delivery).
* **Compatible dates.** A dated claim covers the interval its precision allows (a day, a
  month, a year). Dated claims whose intervals are no more than ``WINDOW_DAYS`` apart join
  (transitively, so the result does not depend on insertion order); each resulting group is
  one proposition. An undated claim is compatible with every date, so it joins every dated
  group of its key (a denial "we never supplied arms" disputes each dated report); when a key
  has no dated claims at all, its undated claims form one proposition.
* **Independent sources.** Each claim gets a source key: its speaker (the last of the chain:
  the original speaker; whoever relayed it — lawmaker, agency, wire — does not add a source),
  folded like event actors; for the outlet's own voice (no speaker), the outlet — resolved to
  the media actor the document itself names with the outlet's name when there is one, so
  "Yonhap reported" in one article and Yonhap's own narration count once — taken from the
  *canonical* document of its near-duplicate cluster, so a syndicated copy speaks with the
  original's voice. The count is the number of distinct source keys among asserting claims.
  Anonymous group actors ("Israeli officials") count as one source per id: conservative.
* **Near-duplicates.** Each document text gets a MinHash signature over word 5-shingles;
  LSH bands find candidates, and pairs with estimated Jaccard >= ``DUPLICATE_THRESHOLD`` are
  linked. A cluster is a connected component of links; its canonical document is the earliest
  published (then the shortest text, then the smallest id), stored as ``document_copies.cluster``.
* **Status.** ``disputed`` when any claim denies it (negative polarity: a denial, or an
  assertion that it did not happen); else ``corroborated`` with >= 2 independent asserting
  sources; else ``uncorroborated``.

Everything derives from the claims, documents and their texts only (never from the mutable
``actors`` table), so updating the touched keys after each batch gives exactly what a rebuild
from scratch gives.
"""
from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from datetime import date, timedelta
from typing import Iterable

import numpy as np

WINDOW_DAYS = 3
DUPLICATE_THRESHOLD = 0.7
SHINGLE_WORDS = 5
PERMUTATIONS = 64
BANDS = 16                      # 16 bands x 4 rows: pairs at Jaccard 0.7 collide with p > 0.99
_ROWS = PERMUTATIONS // BANDS
FOLD_SECTORS = ("GOV",)
_FOLD = re.compile(r"([A-Z]{3})-(%s)" % "|".join(FOLD_SECTORS))
_MASKS = np.random.default_rng(20231102).integers(
    0, np.iinfo(np.uint64).max, size=PERMUTATIONS, dtype=np.uint64, endpoint=True)
_NO_DATE = "9999-12-31"

SCHEMA_SQL = """
-- Near-duplicate clusters of documents (syndicated copies). No foreign key on purpose: the
-- batch hook reads a deleted document's old cluster before cleaning up after it.
CREATE TABLE document_copies (
    doc_id TEXT PRIMARY KEY,
    cluster TEXT NOT NULL,          -- canonical document of its cluster (itself when alone)
    voice TEXT NOT NULL,            -- source key of the outlet's own voice in this document
    signature BLOB                  -- MinHash, 64 x uint64; NULL without text
);
CREATE INDEX document_copies_cluster ON document_copies(cluster);
CREATE TABLE document_lsh (
    band INTEGER NOT NULL,
    bucket INTEGER NOT NULL,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    PRIMARY KEY (band, bucket, doc_id)
) WITHOUT ROWID;
CREATE INDEX document_lsh_doc ON document_lsh(doc_id);
CREATE TABLE document_duplicates (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,   -- doc_id < other_id
    other_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    similarity REAL NOT NULL,
    PRIMARY KEY (doc_id, other_id)
) WITHOUT ROWID;
CREATE INDEX document_duplicates_other ON document_duplicates(other_id);

-- claims.event_key -> proposition key (actor ids folded); entries are never stale, a key
-- maps to the same proposition key forever.
CREATE TABLE event_key_propositions (
    event_key TEXT PRIMARY KEY,
    prop_key TEXT
) WITHOUT ROWID;
CREATE INDEX event_key_propositions_prop ON event_key_propositions(prop_key);

CREATE TABLE propositions (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,                 -- "PRK → PSE-HAMAS: AID"
    prop_key TEXT NOT NULL,             -- "TYPE|sources|targets", ids folded and sorted
    type TEXT NOT NULL,
    source TEXT NOT NULL,               -- JSON list of actor ids
    target TEXT NOT NULL,               -- JSON list of actor ids
    date_start TEXT, date_end TEXT,     -- event dates covered; NULL when undated
    status TEXT NOT NULL,               -- uncorroborated | corroborated | disputed
    n_claims INTEGER NOT NULL,
    n_asserting INTEGER NOT NULL,
    n_denying INTEGER NOT NULL,
    n_documents INTEGER NOT NULL,
    independent_documents INTEGER NOT NULL,   -- documents after folding near-duplicates
    independent_sources INTEGER NOT NULL,     -- distinct source keys asserting
    independent_denying INTEGER NOT NULL,     -- distinct source keys denying
    asserting TEXT NOT NULL,            -- JSON sorted list of asserting source keys
    denying TEXT NOT NULL,              -- JSON sorted list of denying source keys
    first_seen TEXT, last_seen TEXT     -- publication dates of the first and last report
);
CREATE INDEX propositions_key ON propositions(prop_key);
CREATE INDEX propositions_status ON propositions(status, independent_sources);
CREATE INDEX propositions_type ON propositions(type);

CREATE TABLE proposition_claims (
    proposition_id TEXT NOT NULL REFERENCES propositions(id) ON DELETE CASCADE,
    claim_id TEXT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    polarity TEXT NOT NULL,
    source_key TEXT NOT NULL,
    PRIMARY KEY (proposition_id, claim_id)
) WITHOUT ROWID;
CREATE INDEX proposition_claims_claim ON proposition_claims(claim_id);

CREATE TABLE proposition_actors (
    proposition_id TEXT NOT NULL REFERENCES propositions(id) ON DELETE CASCADE,
    role TEXT NOT NULL,                 -- source | target
    actor_id TEXT NOT NULL,
    PRIMARY KEY (proposition_id, role, actor_id)
) WITHOUT ROWID;
CREATE INDEX proposition_actors_actor ON proposition_actors(actor_id, role);
"""


# -- keys ----------------------------------------------------------------------------------
def fold_actor(actor_id: str | None) -> str | None:
    """The id an actor has inside proposition keys: ``<ISO3>-GOV`` becomes ``<ISO3>``."""
    if actor_id and _FOLD.fullmatch(actor_id):
        return actor_id[:3]
    return actor_id


def proposition_key(event_key: str | None) -> str | None:
    """claims.event_key → proposition key, or None when the event has no actor at all."""
    if not event_key:
        return None
    parts = event_key.split("|")
    if len(parts) != 3 or not parts[0]:
        return None
    sides = [sorted({fold_actor(a) for a in part.split(",") if a}) for part in parts[1:]]
    if not sides[0] and not sides[1]:
        return None
    return f"{parts[0]}|{','.join(sides[0])}|{','.join(sides[1])}"


def _split_key(prop_key: str) -> tuple[str, list[str], list[str]]:
    kind, source, target = prop_key.split("|")
    return kind, [a for a in source.split(",") if a], [a for a in target.split(",") if a]


def date_interval(value: str | None, precision: str | None) -> tuple[date, date] | None:
    if not value or not isinstance(value, str):
        return None
    try:
        parts = [int(p) for p in value[:10].split("-")]
        if precision == "day" or (precision is None and len(parts) == 3):
            day = date(*parts[:3])
            return day, day
        if precision == "month" or (precision is None and len(parts) == 2):
            start = date(parts[0], parts[1], 1)
            after = date(parts[0] + (parts[1] == 12), parts[1] % 12 + 1, 1)
            return start, after - timedelta(days=1)
        if precision == "year" or len(parts) >= 1:
            return date(parts[0], 1, 1), date(parts[0], 12, 31)
    except (ValueError, TypeError):
        return None
    return None


# -- near-duplicates -------------------------------------------------------------------------
def minhash(text: str | None) -> np.ndarray | None:
    """MinHash signature of ``text``'s lower-cased word 5-shingles (None when no words)."""
    words = re.findall(r"\w+", (text or "").lower())
    if not words:
        return None
    n = SHINGLE_WORDS
    shingles = {" ".join(words[i:i + n]) for i in range(max(1, len(words) - n + 1))}
    hashes = np.fromiter(
        (int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest(), "little")
         for s in shingles), dtype=np.uint64, count=len(shingles))
    # XOR with a fixed random mask is a bijection on 64-bit values: one cheap permutation each.
    return (hashes[:, None] ^ _MASKS[None, :]).min(axis=0)


def _buckets(signature: np.ndarray) -> list[tuple[int, int]]:
    out = []
    for band in range(BANDS):
        chunk = signature[band * _ROWS:(band + 1) * _ROWS].tobytes()
        bucket = int.from_bytes(hashlib.blake2b(chunk, digest_size=8).digest(), "little", signed=True)
        out.append((band, bucket))
    return out


def _similarity(a: bytes, b: bytes) -> float:
    return float(np.mean(np.frombuffer(a, dtype=np.uint64) == np.frombuffer(b, dtype=np.uint64)))


def _norm_name(name: str) -> str:
    name = " ".join(name.lower().split())
    return name[4:] if name.startswith("the ") else name


def _voice(conn: sqlite3.Connection, doc_id: str, outlet: str | None) -> str:
    """Source key of a document's own narration: the actor the document names with its
    outlet's name (its media actor), else the outlet name, else the document itself."""
    if not outlet or not outlet.strip():
        return f"doc:{doc_id}"
    wanted = _norm_name(outlet)
    rows = conn.execute(
        "SELECT m.actor_id, m.text FROM actor_mentions m WHERE m.doc_id = ? ORDER BY m.start",
        (doc_id,)).fetchall()
    for actor_id, text in rows:
        if text and _norm_name(text) == wanted:
            return fold_actor(actor_id)
    return f"outlet:{outlet.strip()}"


def _rank(conn: sqlite3.Connection, doc_ids: Iterable[str]) -> dict[str, tuple]:
    ids = list(set(doc_ids))
    ranks = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        # Earliest first; on the same day the shorter text, since a copy adds credit lines.
        for doc_id, published, length in conn.execute(
                f"SELECT id, published, length(text) FROM documents "
                f"WHERE id IN ({','.join('?' * len(chunk))})", chunk):
            ranks[doc_id] = (published or _NO_DATE, length or 0, doc_id)
    return ranks


def _update_copies(conn: sqlite3.Connection, written: list[str], gone: list[str]) -> set[str]:
    """Bring near-duplicate clusters up to date; return the documents whose cluster changed
    (new and removed ones included)."""
    changed: set[str] = set(written) | set(gone)
    stale_clusters: set[str] = set()
    for doc_id in set(written) | set(gone):
        row = conn.execute("SELECT cluster FROM document_copies WHERE doc_id = ?", (doc_id,)).fetchone()
        if row:
            stale_clusters.add(row[0])
        conn.execute("DELETE FROM document_copies WHERE doc_id = ?", (doc_id,))
        conn.execute("DELETE FROM document_lsh WHERE doc_id = ?", (doc_id,))
        conn.execute("DELETE FROM document_duplicates WHERE doc_id = ? OR other_id = ?", (doc_id, doc_id))

    # A removal can split a cluster: recompute the remaining members' components by search.
    if stale_clusters:
        members = [r[0] for r in conn.execute(
            f"SELECT doc_id FROM document_copies WHERE cluster IN ({','.join('?' * len(stale_clusters))})",
            list(stale_clusters))]
        ranks = _rank(conn, members)
        seen: set[str] = set()
        for start in members:
            if start in seen:
                continue
            component, frontier = {start}, [start]
            while frontier:
                node = frontier.pop()
                for (other,) in conn.execute(
                        "SELECT other_id FROM document_duplicates WHERE doc_id = ? UNION "
                        "SELECT doc_id FROM document_duplicates WHERE other_id = ?", (node, node)):
                    if other not in component:
                        component.add(other)
                        frontier.append(other)
            seen |= component
            canonical = min(component, key=lambda d: ranks.get(d) or _rank(conn, [d])[d])
            for doc_id in component:
                if conn.execute("UPDATE document_copies SET cluster = ? WHERE doc_id = ? AND cluster != ?",
                                (canonical, doc_id, canonical)).rowcount:
                    changed.add(doc_id)

    # New documents join the union of their neighbours' clusters (a cluster's canonical is
    # its minimum, so the union's is the minimum of theirs): no search needed.
    for doc_id in sorted(set(written)):
        row = conn.execute("SELECT text, outlet, published FROM documents WHERE id = ?",
                           (doc_id,)).fetchone()
        if row is None:
            continue
        text, outlet, published = row
        signature = minhash(text)
        blob = signature.tobytes() if signature is not None else None
        clusters: set[str] = set()
        if signature is not None:
            buckets = _buckets(signature)
            candidates: set[str] = set()
            for band, bucket in buckets:
                candidates.update(r[0] for r in conn.execute(
                    "SELECT doc_id FROM document_lsh WHERE band = ? AND bucket = ?", (band, bucket)))
            candidates.discard(doc_id)
            found = sorted(candidates)
            edges = []
            for i in range(0, len(found), 500):
                chunk = found[i:i + 500]
                for other, other_blob, other_cluster in conn.execute(
                        f"SELECT doc_id, signature, cluster FROM document_copies "
                        f"WHERE doc_id IN ({','.join('?' * len(chunk))}) AND signature IS NOT NULL",
                        chunk):
                    similarity = _similarity(blob, other_blob)
                    if similarity >= DUPLICATE_THRESHOLD:
                        edges.append((min(doc_id, other), max(doc_id, other), similarity))
                        clusters.add(other_cluster)
            conn.executemany("INSERT OR REPLACE INTO document_duplicates VALUES (?, ?, ?)", edges)
            conn.executemany("INSERT OR IGNORE INTO document_lsh (band, bucket, doc_id) VALUES (?, ?, ?)",
                             [(b, k, doc_id) for b, k in buckets])
        ranks = _rank(conn, clusters | {doc_id})
        canonical = min(clusters | {doc_id}, key=lambda d: ranks[d])
        conn.execute("INSERT INTO document_copies (doc_id, cluster, voice, signature) VALUES (?, ?, ?, ?)",
                     (doc_id, canonical, _voice(conn, doc_id, outlet), blob))
        if clusters:
            marks = ",".join("?" * len(clusters))
            changed.update(r[0] for r in conn.execute(
                f"SELECT doc_id FROM document_copies WHERE cluster IN ({marks}) AND cluster != ?",
                [*clusters, canonical]))
            conn.execute(f"UPDATE document_copies SET cluster = ? WHERE cluster IN ({marks}) "
                         "AND cluster != ?", [canonical, *clusters, canonical])
    return changed


# -- propositions ----------------------------------------------------------------------------
def _map_keys(conn: sqlite3.Connection, event_keys: Iterable[str]) -> set[str]:
    prop_keys = set()
    rows = []
    for key in event_keys:
        if not key:
            continue
        prop = proposition_key(key)
        rows.append((key, prop))
        if prop:
            prop_keys.add(prop)
    conn.executemany("INSERT OR IGNORE INTO event_key_propositions (event_key, prop_key) VALUES (?, ?)", rows)
    return prop_keys


def _proposition_id(prop_key: str, start: date | None) -> str:
    digest = hashlib.sha1(prop_key.encode("utf-8")).hexdigest()[:12]
    return f"p-{digest}" if start is None else f"p-{digest}-{start.isoformat()}"


def _recompute(conn: sqlite3.Connection, prop_key: str) -> None:
    old = [r[0] for r in conn.execute("SELECT id FROM propositions WHERE prop_key = ?", (prop_key,))]
    if old:
        marks = ",".join("?" * len(old))
        conn.execute(f"DELETE FROM proposition_claims WHERE proposition_id IN ({marks})", old)
        conn.execute(f"DELETE FROM proposition_actors WHERE proposition_id IN ({marks})", old)
        conn.execute(f"DELETE FROM propositions WHERE id IN ({marks})", old)
    rows = conn.execute(
        "SELECT c.id, c.doc_id, c.speaker, c.event_polarity, c.event_date, c.event_date_precision, "
        "       d.published, coalesce(dc.cluster, c.doc_id) AS cluster, "
        "       coalesce(cc.voice, dc.voice, 'doc:' || c.doc_id) AS voice "
        "  FROM event_key_propositions k "
        "  JOIN claims c ON c.event_key = k.event_key "
        "  JOIN documents d ON d.id = c.doc_id "
        "  LEFT JOIN document_copies dc ON dc.doc_id = c.doc_id "
        "  LEFT JOIN document_copies cc ON cc.doc_id = dc.cluster "
        " WHERE k.prop_key = ? ORDER BY c.id", (prop_key,)).fetchall()
    if not rows:
        return
    dated, undated = [], []
    for row in rows:
        span = date_interval(row[4], row[5])
        (dated if span else undated).append((span, row))
    groups: list[tuple[tuple[date, date] | None, list]] = []
    dated.sort(key=lambda item: (item[0][0], item[0][1], item[1][0]))
    for span, row in dated:
        if groups and span[0] <= groups[-1][0][1] + timedelta(days=WINDOW_DAYS):
            (start, end), members = groups[-1]
            groups[-1] = ((start, max(end, span[1])), members + [row])
        else:
            groups.append((span, [row]))
    if groups:
        groups = [(span, members + [r for _, r in undated]) for span, members in groups]
    else:
        groups = [(None, [r for _, r in undated])]

    kind, source, target = _split_key(prop_key)
    name = f"{','.join(source) or '?'} → {','.join(target) or '?'}: {kind}"
    for span, members in groups:
        prop_id = _proposition_id(prop_key, span[0] if span else None)
        claim_rows, asserting, denying, published = [], set(), set(), []
        for claim_id, doc_id, speaker, polarity, _, _, pub, cluster, voice in members:
            key = fold_actor(speaker) if speaker else voice
            polarity = polarity or "positive"
            (denying if polarity == "negative" else asserting).add(key)
            claim_rows.append((prop_id, claim_id, polarity, key))
            if pub:
                published.append(pub)
        n_denying = sum(1 for r in claim_rows if r[2] == "negative")
        status = ("disputed" if denying else
                  "corroborated" if len(asserting) >= 2 else "uncorroborated")
        conn.execute(
            "INSERT INTO propositions (id, name, prop_key, type, source, target, date_start, "
            "date_end, status, n_claims, n_asserting, n_denying, n_documents, "
            "independent_documents, independent_sources, independent_denying, asserting, "
            "denying, first_seen, last_seen) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (prop_id, name, prop_key, kind, json.dumps(source), json.dumps(target),
             span[0].isoformat() if span else None, span[1].isoformat() if span else None,
             status, len(members), len(members) - n_denying, n_denying,
             len({m[1] for m in members}), len({m[7] for m in members}),
             len(asserting), len(denying), json.dumps(sorted(asserting)),
             json.dumps(sorted(denying)), min(published) if published else None,
             max(published) if published else None))
        conn.executemany("INSERT INTO proposition_claims (proposition_id, claim_id, polarity, "
                         "source_key) VALUES (?, ?, ?, ?)", claim_rows)
        conn.executemany("INSERT INTO proposition_actors (proposition_id, role, actor_id) "
                         "VALUES (?, ?, ?)",
                         [(prop_id, "source", a) for a in source] + [(prop_id, "target", a) for a in target])


def update(conn: sqlite3.Connection, change) -> None:
    """Batch hook: bring copies and propositions up to date for what ``change`` touched."""
    present = set()
    for doc_id in set(change.written) | set(change.deleted):
        if conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone():
            present.add(doc_id)
    written = [d for d in dict.fromkeys(change.written) if d in present]
    gone = [d for d in dict.fromkeys(change.deleted) if d not in present]
    moved = _update_copies(conn, written, gone)
    event_keys = set(change.event_keys)
    moved -= set(gone)
    ids = list(moved)
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        event_keys.update(r[0] for r in conn.execute(
            f"SELECT DISTINCT event_key FROM claims WHERE event_key IS NOT NULL "
            f"AND doc_id IN ({','.join('?' * len(chunk))})", chunk))
    for prop_key in sorted(_map_keys(conn, event_keys)):
        _recompute(conn, prop_key)


def rebuild(conn: sqlite3.Connection) -> None:
    """Recompute copies and propositions for the whole store (the caller holds a transaction;
    also the data step of migration 3)."""
    for table in ("proposition_actors", "proposition_claims", "propositions",
                  "event_key_propositions", "document_duplicates", "document_lsh",
                  "document_copies"):
        conn.execute(f"DELETE FROM {table}")
    doc_ids = [r[0] for r in conn.execute("SELECT id FROM documents ORDER BY id")]
    _update_copies(conn, doc_ids, [])
    keys = [r[0] for r in conn.execute(
        "SELECT DISTINCT event_key FROM claims WHERE event_key IS NOT NULL")]
    for prop_key in sorted(_map_keys(conn, keys)):
        _recompute(conn, prop_key)


def has_propositions(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                        "AND name = 'propositions'").fetchone() is not None
