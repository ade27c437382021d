"""The store's schema as a numbered list of migrations.

A database records every migration applied to it in the ``migrations`` table; its schema
version is the highest number there (0 for an empty file). Opening a database applies the
missing migrations in order, each in its own transaction, so an interrupted upgrade leaves
the database at the last complete version. A database newer than this code is refused
(SchemaTooNew, CG301) rather than written with a schema the code does not understand.

To change the schema, append a ``Migration`` with the next number: either ``sql`` (a script;
triggers are fine) or ``function`` (a callable taking the connection, for data backfills).
Never edit a migration that has shipped: databases in the wild already ran it.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable, Sequence

from ..errors import SchemaTooNew, StoreError
from . import propositions as _propositions


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str | None = None
    function: Callable[[sqlite3.Connection], None] | None = None


_SCHEMA_1 = """
CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,                 -- Datasette label: the title, else the id
    title TEXT,
    url TEXT,
    outlet TEXT,
    published TEXT,                     -- ISO date YYYY-MM-DD
    text TEXT,                          -- the text every offset points into
    schema TEXT NOT NULL,               -- record schema, "claimgraph/1"
    n_actors INTEGER NOT NULL DEFAULT 0,
    n_claims INTEGER NOT NULL DEFAULT 0,
    ingested_at TEXT NOT NULL
);
CREATE INDEX documents_published ON documents(published);
CREATE INDEX documents_outlet ON documents(outlet);

-- The full record as written by the extractor (minus `text`, kept once in documents.text),
-- so fields the tables do not model survive and Store.get_record returns the record intact.
CREATE TABLE records (
    doc_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    record TEXT NOT NULL
);

-- One row per actor id across the whole store; attributes come from the latest document
-- that described the actor. Actors no document refers to any more are removed.
CREATE TABLE actors (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    country TEXT,
    sector TEXT,
    kind TEXT,
    anonymous INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX actors_country ON actors(country);
CREATE INDEX actors_kind ON actors(kind);

-- Every actor a document refers to (mentioned, speaking, in a chain or an event), with its
-- mention count: the co-occurrence and garbage-collection table.
CREATE TABLE document_actors (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    actor_id TEXT NOT NULL REFERENCES actors(id),
    mentions INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (doc_id, actor_id)
);
CREATE INDEX document_actors_actor ON document_actors(actor_id);

CREATE TABLE actor_mentions (
    id INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    actor_id TEXT NOT NULL REFERENCES actors(id),
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT
);
CREATE INDEX actor_mentions_doc ON actor_mentions(doc_id);
CREATE INDEX actor_mentions_actor ON actor_mentions(actor_id);

CREATE TABLE claims (
    id TEXT PRIMARY KEY,                -- "<doc_id>:<n>"
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,          -- order within the record
    name TEXT NOT NULL,                 -- Datasette label: "speaker: content…"
    speaker TEXT REFERENCES actors(id), -- NULL: the outlet's own voice
    speaker_text TEXT,
    cue TEXT,
    quote TEXT,
    stance TEXT,
    certainty TEXT,
    span_start INTEGER, span_end INTEGER,
    source_start INTEGER, source_end INTEGER,
    cue_start INTEGER, cue_end INTEGER,
    content_start INTEGER, content_end INTEGER,
    content_spans TEXT,                 -- JSON [[s, e], ...] when the content is discontinuous
    content TEXT,                       -- the claimed text itself
    confidence REAL,
    framing TEXT,                       -- JSON
    has_event INTEGER NOT NULL DEFAULT 0,
    event_type TEXT,
    event_mode TEXT,
    event_context TEXT,                 -- JSON list
    event_source TEXT,                  -- JSON list of actor ids (canonical: claim_event_actors)
    event_target TEXT,                  -- JSON list
    event_via TEXT,                     -- JSON list
    event_modality TEXT,
    event_date TEXT,
    event_date_precision TEXT,
    event_date_text TEXT,
    event_location TEXT,                -- JSON object
    event_location_name TEXT,
    event_location_country TEXT,
    event_cameo TEXT,
    event_negated INTEGER,
    event_confidence REAL,
    trigger_start INTEGER, trigger_end INTEGER,
    materiel TEXT,                      -- JSON list
    -- "TYPE|src,src|tgt,tgt" (ids sorted): claims about the same event share it, so a denial
    -- and the claim it denies meet on one indexed column.
    event_key TEXT,
    -- "positive" or "negative": the speaker's stance combined with negation inside the event
    -- ("X denied it", "X said it did not"); disputes are the same key with both polarities.
    event_polarity TEXT,
    extra TEXT                          -- JSON: claim fields the columns above do not model
);
CREATE INDEX claims_doc ON claims(doc_id);
CREATE INDEX claims_speaker ON claims(speaker);
CREATE INDEX claims_event_type ON claims(event_type);
CREATE INDEX claims_event_key ON claims(event_key, event_polarity);
CREATE INDEX claims_stance ON claims(stance);
CREATE INDEX claims_event_date ON claims(event_date);

CREATE TABLE claim_event_actors (
    claim_id TEXT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('source', 'target', 'via')),
    position INTEGER NOT NULL,
    actor_id TEXT NOT NULL REFERENCES actors(id),
    PRIMARY KEY (claim_id, role, actor_id)
);
CREATE INDEX claim_event_actors_actor ON claim_event_actors(actor_id, role);

CREATE TABLE claim_chain (
    claim_id TEXT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,          -- 0 = outermost reporter; the last is the speaker
    actor_id TEXT REFERENCES actors(id),
    PRIMARY KEY (claim_id, position)
);
CREATE INDEX claim_chain_actor ON claim_chain(actor_id);

-- Full-text search, sqlite-utils style (external content + triggers), which Datasette
-- detects on its own. The FTS rowid is the content table's rowid: after a VACUUM run
-- Store.rebuild_fts() (Store.vacuum() does both).
CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content='documents');
CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, title, text)
        VALUES ('delete', old.rowid, old.title, old.text);
END;
CREATE TRIGGER documents_au AFTER UPDATE ON documents BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, title, text)
        VALUES ('delete', old.rowid, old.title, old.text);
    INSERT INTO documents_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;

CREATE VIRTUAL TABLE claims_fts USING fts5(content, speaker_text, content='claims');
CREATE TRIGGER claims_ai AFTER INSERT ON claims BEGIN
    INSERT INTO claims_fts (rowid, content, speaker_text)
        VALUES (new.rowid, new.content, new.speaker_text);
END;
CREATE TRIGGER claims_ad AFTER DELETE ON claims BEGIN
    INSERT INTO claims_fts (claims_fts, rowid, content, speaker_text)
        VALUES ('delete', old.rowid, old.content, old.speaker_text);
END;
CREATE TRIGGER claims_au AFTER UPDATE ON claims BEGIN
    INSERT INTO claims_fts (claims_fts, rowid, content, speaker_text)
        VALUES ('delete', old.rowid, old.content, old.speaker_text);
    INSERT INTO claims_fts (rowid, content, speaker_text)
        VALUES (new.rowid, new.content, new.speaker_text);
END;
"""

# Read-only views for browsing (Datasette) and for the simple cross-document questions;
# issue 7's query layer may use them or go to the tables directly.
_VIEWS_2 = """
CREATE VIEW events AS
SELECT c.id AS claim_id, c.doc_id, d.published, d.outlet,
       c.speaker, c.stance, c.event_polarity AS polarity, c.certainty,
       c.event_type AS type, c.event_mode AS mode, c.event_modality AS modality,
       (SELECT group_concat(actor_id, ',') FROM
            (SELECT actor_id FROM claim_event_actors
              WHERE claim_id = c.id AND role = 'source' ORDER BY position)) AS source,
       (SELECT group_concat(actor_id, ',') FROM
            (SELECT actor_id FROM claim_event_actors
              WHERE claim_id = c.id AND role = 'target' ORDER BY position)) AS target,
       (SELECT group_concat(actor_id, ',') FROM
            (SELECT actor_id FROM claim_event_actors
              WHERE claim_id = c.id AND role = 'via' ORDER BY position)) AS via,
       c.event_date AS date, c.event_date_precision AS date_precision,
       c.event_location_name AS location, c.event_cameo AS cameo,
       c.event_key, c.content, c.confidence
  FROM claims c JOIN documents d ON d.id = c.doc_id
 WHERE c.has_event = 1;

-- Claims whose event another claim reports with the opposite polarity. (Grouping keys first
-- keeps this linear; a per-claim EXISTS on `!=` rescans every claim of a popular event.)
CREATE VIEW disputed_claims AS
SELECT c.id AS claim_id, c.doc_id, c.speaker, c.stance, c.event_polarity AS polarity,
       c.event_type, c.event_key, c.content
  FROM claims c
 WHERE c.event_key IN (SELECT event_key FROM claims WHERE event_key IS NOT NULL
                        GROUP BY event_key HAVING min(event_polarity) != max(event_polarity));

-- Directed source -> target pairs with how often each event type is claimed between them.
CREATE VIEW actor_pairs AS
SELECT s.actor_id AS source, t.actor_id AS target, c.event_type,
       count(DISTINCT c.id) AS claims,
       count(DISTINCT CASE WHEN c.event_polarity = 'positive' THEN c.id END) AS asserted,
       count(DISTINCT CASE WHEN c.event_polarity = 'negative' THEN c.id END) AS denied,
       count(DISTINCT c.doc_id) AS documents
  FROM claim_event_actors s
  JOIN claim_event_actors t ON t.claim_id = s.claim_id AND t.role = 'target'
  JOIN claims c ON c.id = s.claim_id
 WHERE s.role = 'source'
 GROUP BY s.actor_id, t.actor_id, c.event_type;
"""

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "documents, actors, claims, events, chains, FTS", sql=_SCHEMA_1),
    Migration(2, "views: events, disputed_claims, actor_pairs", sql=_VIEWS_2),
    # Tables, then a backfill of what is already stored (store/propositions.py).
    Migration(3, "propositions", sql=_propositions.SCHEMA_SQL, function=_propositions.rebuild),
)

LATEST_VERSION = MIGRATIONS[-1].version

_MIGRATIONS_TABLE = """
CREATE TABLE IF NOT EXISTS migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
)
"""


def schema_version(conn: sqlite3.Connection) -> int:
    """The highest migration applied to ``conn``'s database; 0 when none."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'migrations'").fetchone()
    if not exists:
        return 0
    (version,) = conn.execute("SELECT coalesce(max(version), 0) FROM migrations").fetchone()
    return int(version)


def _statements(script: str):
    """Split a script into statements; sqlite3.complete_statement knows about BEGIN…END."""
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                yield buffer
            buffer = ""
    if buffer.strip() and not buffer.strip().startswith("--"):
        yield buffer


def migrate(conn: sqlite3.Connection, migrations: Sequence[Migration] = MIGRATIONS,
            *, where: str | None = None) -> list[int]:
    """Apply the migrations ``conn`` lacks, in order; return the versions applied.

    ``conn`` must be in autocommit mode (isolation_level=None): each migration runs in its own
    explicit transaction, because executescript would commit halfway.
    """
    latest = migrations[-1].version if migrations else 0
    current = schema_version(conn)
    if current > latest:
        raise SchemaTooNew(
            f"database schema version {current} is newer than this claimgraph supports "
            f"({latest}); upgrade claimgraph to open it", where=where)
    applied = []
    for migration in migrations:
        if migration.version <= current:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(_MIGRATIONS_TABLE)
            # Another process may have migrated while we waited for the write lock.
            if schema_version(conn) >= migration.version:
                conn.execute("COMMIT")
                continue
            if migration.sql:
                for statement in _statements(migration.sql):
                    conn.execute(statement)
            if migration.function:
                migration.function(conn)
            conn.execute("INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)",
                         (migration.version, migration.name,
                          datetime.now(timezone.utc).isoformat(timespec="seconds")))
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            conn.execute("ROLLBACK")
            raise StoreError(f"migration {migration.version} ({migration.name}) failed: {exc}",
                             where=where) from exc
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        applied.append(migration.version)
    return applied
