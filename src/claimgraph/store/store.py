"""The SQLite store: records in, tables out, and the counts the CLI prints.

Writes go in batches (``settings.store_batch_size`` documents per transaction). Inside a
batch each document is written under its own SAVEPOINT after its old rows are deleted, so a
document is either fully replaced or untouched, a record that fails to insert is rolled
back alone and reported, and a crash loses at most the uncommitted batch.
"""
from __future__ import annotations

import json
import logging
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from ..errors import (BadQueryParameter, ClaimgraphError, DatabaseNotFound, RecordInvalid,
                      SchemaTooNew, StoreError)
from ..settings import Settings, load_settings
from .metadata import datasette_metadata
from .migrations import MIGRATIONS, Migration, migrate, schema_version
from . import propositions as _propositions
from .rows import DocumentRows, record_rows

log = logging.getLogger("claimgraph.store")


@dataclass
class BatchChange:
    """What one committed batch changed; handed to batch hooks inside its transaction."""

    written: list[str] = field(default_factory=list)     # doc ids inserted or replaced
    deleted: list[str] = field(default_factory=list)     # doc ids removed (replaced ones too)
    event_keys: set[str] = field(default_factory=set)    # keys of claims removed or added


@dataclass
class WriteResult:
    documents: int = 0        # documents written (new or replacing an older version)
    replaced: int = 0         # of which replaced an existing document
    skipped: int = 0          # records refused (RecordInvalid)
    claims: int = 0
    events: int = 0
    actor_mentions: int = 0
    batches: int = 0
    errors: list[ClaimgraphError] = field(default_factory=list)

    def as_dict(self) -> dict:
        out = {k: v for k, v in self.__dict__.items() if k != "errors"}
        out["errors"] = [e.as_dict() for e in self.errors]
        return out


def fts_escape(text: str) -> str:
    """Plain words → an FTS5 query matching all of them; "anti-tank" would otherwise be read
    as FTS5 syntax (the same escaping Datasette applies)."""
    return " ".join('"' + word.replace('"', '""') + '"' for word in text.split())


BatchHook = Callable[[sqlite3.Connection, BatchChange], None]

def _insert(conn: sqlite3.Connection, table: str, rows: Sequence[dict], verb: str = "INSERT") -> None:
    if not rows:
        return
    columns = tuple(rows[0])
    sql = (f"{verb} INTO {table} ({', '.join(columns)}) "
           f"VALUES ({', '.join(':' + c for c in columns)})")
    conn.executemany(sql, rows)


class Store:
    """A claimgraph SQLite database.

    ``Store(path)`` creates the file if needed and migrates it to the current schema;
    ``create=False`` raises DatabaseNotFound (CG302) for a missing file instead. A database
    written by a newer claimgraph raises SchemaTooNew (CG301).
    """

    def __init__(self, path: str | Path, *, create: bool = True, readonly: bool = False,
                 settings: Settings | None = None, migrations: Sequence[Migration] = MIGRATIONS,
                 check_same_thread: bool = True):
        self.path = str(path)
        self.readonly = readonly
        self.settings = settings or load_settings()
        self._hooks: list[BatchHook] = []
        self.conn: sqlite3.Connection | None = None
        memory = self.path == ":memory:" or self.path.startswith("file::memory:")
        if not memory and (readonly or not create) and not Path(self.path).is_file():
            raise DatabaseNotFound("no such database (run `claimgraph ingest` first)", where=self.path)
        if not memory and not readonly:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            # Autocommit mode: transactions are explicit (BEGIN IMMEDIATE / SAVEPOINT) below.
            if readonly:
                self.conn = sqlite3.connect(f"{Path(self.path).resolve().as_uri()}?mode=ro", uri=True,
                                            isolation_level=None, timeout=30,
                                            check_same_thread=check_same_thread)
            else:
                self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=30,
                                            check_same_thread=check_same_thread)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA foreign_keys = ON")
            if readonly:
                self._check_version(migrations)
                return
            if not memory:
                self.conn.execute("PRAGMA journal_mode = WAL")
                # NORMAL is crash-safe in WAL mode (an OS crash may lose the last commits,
                # never consistency) and much faster than FULL for many small transactions.
                self.conn.execute("PRAGMA synchronous = NORMAL")
            migrate(self.conn, migrations, where=self.path)
            # Propositions and near-duplicate clusters follow every write (when the schema has
            # them: a store opened with older migrations, as in tests, has not).
            if _propositions.has_propositions(self.conn):
                self.add_batch_hook(_propositions.update)
        except BaseException as exc:
            if getattr(self, "conn", None) is not None:
                self.conn.close()
            if isinstance(exc, sqlite3.DatabaseError):
                raise StoreError(f"cannot open database: {exc}", where=self.path) from exc
            raise

    def _check_version(self, migrations: Sequence[Migration]) -> None:
        # A read-only connection cannot migrate: refuse anything but the exact schema.
        current, latest = schema_version(self.conn), migrations[-1].version
        if current > latest:
            raise SchemaTooNew(f"database schema version {current} is newer than this claimgraph "
                               f"supports ({latest}); upgrade claimgraph to open it", where=self.path)
        if current < latest:
            raise StoreError(f"database schema version {current} is older than {latest}; open it "
                             "once for writing (e.g. `claimgraph stats`) to migrate", where=self.path)

    # -- lifecycle --------------------------------------------------------------------------
    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return schema_version(self.conn)

    # -- writing ------------------------------------------------------------------------------
    def add_batch_hook(self, hook: BatchHook) -> None:
        """Call ``hook(conn, change)`` inside every write transaction, after the batch's
        documents are written and before COMMIT: derived tables (propositions) updated there
        commit or roll back together with the documents."""
        self._hooks.append(hook)

    def write_records(self, records: Iterable[dict], *, batch_size: int | None = None,
                      on_error: Callable[[ClaimgraphError], None] | None = None,
                      strict: bool = False) -> WriteResult:
        """Store records, ``batch_size`` documents per transaction; return the counts.

        A record with the same ``doc_id`` as a stored document replaces it. A bad record is
        reported to ``on_error`` (default: logged) and skipped; with ``strict`` it raises
        RecordInvalid instead, after rolling back its batch.
        """
        with self.writer(batch_size=batch_size, on_error=on_error, strict=strict) as writer:
            for record in records:
                writer.add(record)
        return writer.result

    def writer(self, *, batch_size: int | None = None,
               on_error: Callable[[ClaimgraphError], None] | None = None,
               strict: bool = False) -> "BatchWriter":
        """A push-style writer (``add(record)``; flushes when full and on leaving ``with``)."""
        return BatchWriter(self, batch_size or self.settings.store_batch_size, on_error, strict)

    def delete_documents(self, doc_ids: Iterable[str]) -> int:
        """Remove documents and everything hanging off them; return how many existed."""
        self._writable()
        change = BatchChange()
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            count = sum(1 for doc_id in doc_ids if self._delete_document(doc_id, change))
            self._run_hooks(change)
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        return count

    def _write_batch(self, records: list, result: WriteResult,
                     on_error: Callable[[ClaimgraphError], None], strict: bool) -> None:
        self._writable()
        conn = self.conn
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        change = BatchChange()
        conn.execute("BEGIN IMMEDIATE")
        try:
            for record in records:
                try:
                    rows = record_rows(record, now)
                except RecordInvalid as exc:
                    if strict:
                        raise
                    result.skipped += 1
                    result.errors.append(exc)
                    on_error(exc)
                    continue
                conn.execute("SAVEPOINT document")
                try:
                    replaced = self._delete_document(rows.doc_id, change)
                    self._insert_document(rows)
                    conn.execute("RELEASE document")
                except sqlite3.Error as exc:
                    conn.execute("ROLLBACK TO document")
                    conn.execute("RELEASE document")
                    error = RecordInvalid(f"cannot store record: {exc}", where=rows.doc_id)
                    if strict:
                        raise error from exc
                    result.skipped += 1
                    result.errors.append(error)
                    on_error(error)
                    continue
                change.written.append(rows.doc_id)
                change.event_keys |= rows.event_keys
                result.documents += 1
                result.replaced += replaced
                result.claims += len(rows.claims)
                result.events += sum(1 for c in rows.claims if c["has_event"])
                result.actor_mentions += len(rows.mentions)
            self._run_hooks(change)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        result.batches += 1

    def _writable(self) -> None:
        if self.readonly:
            raise StoreError("database is open read-only", where=self.path)

    def _run_hooks(self, change: BatchChange) -> None:
        for hook in self._hooks:
            hook(self.conn, change)

    def _delete_document(self, doc_id: str, change: BatchChange) -> bool:
        conn = self.conn
        if conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is None:
            return False
        actor_ids = [r[0] for r in conn.execute(
            "SELECT actor_id FROM document_actors WHERE doc_id = ?", (doc_id,))]
        change.event_keys |= {r[0] for r in conn.execute(
            "SELECT DISTINCT event_key FROM claims WHERE doc_id = ? AND event_key IS NOT NULL",
            (doc_id,))}
        # Children first, explicitly, so deletion does not depend on ON DELETE CASCADE being
        # honoured by whoever holds the connection.
        claim_ids = "SELECT id FROM claims WHERE doc_id = ?"
        conn.execute(f"DELETE FROM claim_event_actors WHERE claim_id IN ({claim_ids})", (doc_id,))
        conn.execute(f"DELETE FROM claim_chain WHERE claim_id IN ({claim_ids})", (doc_id,))
        conn.execute("DELETE FROM claims WHERE doc_id = ?", (doc_id,))
        conn.execute("DELETE FROM actor_mentions WHERE doc_id = ?", (doc_id,))
        conn.execute("DELETE FROM document_actors WHERE doc_id = ?", (doc_id,))
        conn.execute("DELETE FROM records WHERE doc_id = ?", (doc_id,))
        conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
        # Actors only this document referred to go with it (a replacement re-adds its own).
        conn.executemany(
            "DELETE FROM actors WHERE id = ? AND NOT EXISTS "
            "(SELECT 1 FROM document_actors WHERE actor_id = actors.id)",
            [(a,) for a in actor_ids])
        change.deleted.append(doc_id)
        return True

    def _insert_document(self, rows: DocumentRows) -> None:
        conn = self.conn
        _insert(conn, "documents", [rows.document])
        conn.execute("INSERT INTO records (doc_id, record) VALUES (?, ?)",
                     (rows.doc_id, rows.record_json))
        # Described actors overwrite what is known (latest wins, nulls never erase);
        # stubs only fill a gap.
        conn.executemany(
            "INSERT INTO actors (id, name, country, sector, kind, anonymous) "
            "VALUES (:id, :name, :country, :sector, :kind, :anonymous) "
            "ON CONFLICT(id) DO UPDATE SET name = excluded.name, "
            "country = coalesce(excluded.country, country), "
            "sector = coalesce(excluded.sector, sector), kind = coalesce(excluded.kind, kind), "
            "anonymous = excluded.anonymous", rows.actors)
        _insert(conn, "actors", rows.stub_actors, "INSERT OR IGNORE")
        _insert(conn, "document_actors", rows.document_actors)
        _insert(conn, "actor_mentions", rows.mentions)
        _insert(conn, "claims", rows.claims)
        _insert(conn, "claim_chain", rows.chain)
        _insert(conn, "claim_event_actors", rows.event_actors)

    # -- reading -------------------------------------------------------------------------------
    def query(self, sql: str, params: Sequence | dict = ()) -> list[dict]:
        """Rows of ``sql`` as dicts (the escape hatch for the query layer and tests)."""
        return [dict(row) for row in self.conn.execute(sql, params)]

    def document_ids(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT id FROM documents ORDER BY id")]

    def get_record(self, doc_id: str) -> dict | None:
        """The record as it was written (every field, unknown ones included)."""
        row = self.conn.execute(
            "SELECT r.record, d.text FROM records r JOIN documents d ON d.id = r.doc_id "
            "WHERE r.doc_id = ?", (doc_id,)).fetchone()
        if row is None:
            return None
        record = json.loads(row["record"])
        if "text" in record:
            record["text"] = row["text"]
        return record

    def iter_records(self) -> Iterator[dict]:
        """Every stored record, in document id order."""
        for doc_id in self.document_ids():
            record = self.get_record(doc_id)
            if record is not None:
                yield record

    def search_claims(self, text: str, limit: int = 20, *, raw: bool = False) -> list[dict]:
        """Claims whose content or speaker_text match ``text``, best first. Words are matched
        as given (all of them); ``raw=True`` passes FTS5 syntax through (OR, NEAR, column:)."""
        return self._search(
            "SELECT c.*, bm25(claims_fts) AS rank FROM claims_fts "
            "JOIN claims c ON c.rowid = claims_fts.rowid WHERE claims_fts MATCH ? "
            "ORDER BY rank LIMIT ?", text if raw else fts_escape(text), limit)

    def search_documents(self, text: str, limit: int = 20, *, raw: bool = False) -> list[dict]:
        """Documents whose title or text match ``text``, best first (without the text column)."""
        return self._search(
            "SELECT d.id, d.name, d.title, d.outlet, d.published, bm25(documents_fts) AS rank "
            "FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid "
            "WHERE documents_fts MATCH ? ORDER BY rank LIMIT ?", text if raw else fts_escape(text),
            limit)

    def _search(self, sql: str, text: str, limit: int) -> list[dict]:
        if not text.strip():
            return []
        try:
            return self.query(sql, (text, limit))
        except sqlite3.OperationalError as exc:
            raise BadQueryParameter(f"bad full-text query {text!r}: {exc}") from exc

    # -- counts and health -------------------------------------------------------------------------
    TABLES = ("documents", "records", "actors", "document_actors", "actor_mentions", "claims",
              "claim_chain", "claim_event_actors")

    def table_counts(self) -> dict[str, int]:
        return {t: self.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in self.TABLES}

    def stats(self, top: int = 10) -> dict:
        """Corpus counts: documents, actors, mentions, claims, events, denials, disputes,
        and the ``top`` most frequent source → target actor pairs."""
        one = lambda sql: self.conn.execute(sql).fetchone()[0]  # noqa: E731
        pairs = self.query(
            "SELECT p.source, sa.name AS source_name, p.target, ta.name AS target_name, "
            "sum(p.claims) AS events, sum(p.asserted) AS asserted, sum(p.denied) AS denied, "
            "group_concat(p.event_type, ',') AS types "
            "FROM actor_pairs p JOIN actors sa ON sa.id = p.source JOIN actors ta ON ta.id = p.target "
            "GROUP BY p.source, p.target ORDER BY events DESC, p.source, p.target LIMIT ?", (top,))
        return {
            "documents": one("SELECT count(*) FROM documents"),
            "actors": one("SELECT count(*) FROM actors"),
            "actor_mentions": one("SELECT count(*) FROM actor_mentions"),
            "claims": one("SELECT count(*) FROM claims"),
            "events": one("SELECT count(*) FROM claims WHERE has_event = 1"),
            "denials": one("SELECT count(*) FROM claims WHERE stance = 'deny'"),
            "disputed_claims": one("SELECT count(*) FROM disputed_claims"),
            "disputed_events": one("SELECT count(DISTINCT event_key) FROM disputed_claims"),
            "top_actor_pairs": pairs,
            "schema_version": self.schema_version,
        }

    def check(self) -> dict:
        """Integrity report: SQLite's integrity check, foreign-key violations, FTS sync."""
        integrity = [r[0] for r in self.conn.execute("PRAGMA integrity_check")]
        foreign = [dict(zip(("table", "rowid", "parent", "fkid"), r))
                   for r in self.conn.execute("PRAGMA foreign_key_check")]
        fts = {}
        for table in ("documents_fts", "claims_fts"):
            try:
                self.conn.execute(f"INSERT INTO {table} ({table}) VALUES ('integrity-check')")
                fts[table] = "ok"
            except sqlite3.DatabaseError as exc:
                fts[table] = str(exc)
        ok = integrity == ["ok"] and not foreign and all(v == "ok" for v in fts.values())
        return {"ok": ok, "integrity": integrity, "foreign_keys": foreign, "fts": fts}

    def rebuild_propositions(self) -> None:
        """Recompute near-duplicate clusters and propositions from scratch (the incremental
        hook keeps them current; this is the check and the repair)."""
        self._writable()
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            _propositions.rebuild(self.conn)
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    def rebuild_fts(self) -> None:
        for table in ("documents_fts", "claims_fts"):
            self.conn.execute(f"INSERT INTO {table} ({table}) VALUES ('rebuild')")

    def vacuum(self) -> None:
        """VACUUM may renumber rowids of tables without an INTEGER PRIMARY KEY, which the
        external-content FTS tables point at, so the index is rebuilt afterwards."""
        self.conn.execute("VACUUM")
        self.rebuild_fts()

    # -- Datasette ------------------------------------------------------------------------------
    def metadata_path(self) -> Path:
        return Path(self.path + ".metadata.json")

    def write_metadata(self, path: str | Path | None = None) -> Path:
        """Write Datasette metadata (titles, descriptions, label columns, FTS) beside the DB:
        ``datasette claimgraph.db -m claimgraph.db.metadata.json``."""
        target = Path(path) if path else self.metadata_path()
        metadata = datasette_metadata(Path(self.path).stem)
        target.write_text(json.dumps(metadata, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return target


class BatchWriter:
    """Buffers records and writes them ``batch_size`` at a time (see Store.writer)."""

    def __init__(self, store: Store, batch_size: int,
                 on_error: Callable[[ClaimgraphError], None] | None, strict: bool):
        self.store = store
        self.batch_size = max(1, int(batch_size))
        self.on_error = on_error or (lambda exc: log.warning("%s", exc.one_line()))
        self.strict = strict
        self.result = WriteResult()
        self._pending: list = []

    def add(self, record: dict) -> None:
        self._pending.append(record)
        if len(self._pending) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        if self._pending:
            batch, self._pending = self._pending, []
            self.store._write_batch(batch, self.result, self.on_error, self.strict)

    def __enter__(self) -> "BatchWriter":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        # On an exception the buffered records are dropped: the batch in flight is the unit
        # of loss, and a half-consumed stream should not look complete.
        if exc_type is None:
            self.flush()
