"""SQLite storage of OUTPUT.md records: schema and migrations, idempotent batched writes,
full-text search, counts, Datasette metadata. Reads records, never spaCy Docs."""
from .metadata import datasette_metadata
from .migrations import LATEST_VERSION, MIGRATIONS, Migration, migrate, schema_version
from .rows import SCHEMA, event_key, record_rows
from .store import BatchChange, BatchWriter, Store, WriteResult, fts_escape

__all__ = [
    "Store", "BatchWriter", "BatchChange", "WriteResult",
    "Migration", "MIGRATIONS", "LATEST_VERSION", "migrate", "schema_version",
    "SCHEMA", "event_key", "record_rows", "datasette_metadata", "fts_escape",
]
