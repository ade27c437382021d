"""Datasette metadata for a claimgraph database: titles, descriptions, label columns, FTS.

``claimgraph ingest`` writes it to ``<db>.metadata.json``; browse with
``datasette claimgraph.db -m claimgraph.db.metadata.json``.
"""
from __future__ import annotations

_TABLES = {
    "documents": {
        "description": "One row per ingested article. `text` is the text all character "
                       "offsets in the other tables point into.",
        "label_column": "name",
        "fts_table": "documents_fts",
        "fts_pk": "rowid",
        "sort_desc": "published",
        "facets": ["outlet", "published"],
    },
    "records": {
        "description": "The full OUTPUT.md record of each document as JSON (its `text` is "
                       "kept once, in documents.text).",
    },
    "actors": {
        "description": "Actors across all documents: states (ISO alpha-3), organisations, "
                       "armed groups, people, media, IGOs, anonymous group actors.",
        "label_column": "name",
        "facets": ["kind", "country", "sector", "anonymous"],
    },
    "document_actors": {
        "description": "Which actors each document refers to, and how often they are mentioned.",
    },
    "actor_mentions": {
        "description": "Every resolved actor mention: character offsets [start, end) into "
                       "documents.text.",
        "facets": ["actor_id"],
    },
    "claims": {
        "description": "Who says what: each attribution with its speaker (NULL = the outlet's "
                       "own voice), cue, stance and certainty, and the PLOVER event its content "
                       "codes (event_* columns; participants in claim_event_actors).",
        "label_column": "name",
        "fts_table": "claims_fts",
        "fts_pk": "rowid",
        "facets": ["stance", "event_type", "certainty", "speaker"],
    },
    "claim_chain": {
        "description": "The reporting path of each claim, outermost reporter first (position 0), "
                       "the speaker last.",
    },
    "claim_event_actors": {
        "description": "The actors of each claim's event by role: source, target, via.",
        "facets": ["role"],
    },
    "events": {
        "description": "View: claims that code an event, with publication date and actors.",
        "facets": ["type", "polarity", "modality"],
    },
    "disputed_claims": {
        "description": "View: claims whose event (type, source, target) another claim reports "
                       "with the opposite polarity (asserted vs denied).",
    },
    "actor_pairs": {
        "description": "View: source → target actor pairs by event type, with asserted and "
                       "denied claim counts.",
    },
    "propositions": {
        "description": "One event as claimed across documents (same PLOVER type, source and "
                       "target, compatible dates): who asserts it, who denies it, how many "
                       "independent sources, and a status (uncorroborated / corroborated / "
                       "disputed). Maintained on every write; see store/propositions.py.",
        "label_column": "name",
        "facets": ["status", "type"],
        "sort_desc": "independent_sources",
    },
    "proposition_claims": {
        "description": "The claims of each proposition, with their polarity and the source key "
                       "used to count independent sources.",
        "facets": ["polarity"],
    },
    "proposition_actors": {
        "description": "Source and target actors of each proposition (ids folded: "
                       "<ISO3>-GOV counts as the state).",
    },
    "document_copies": {
        "description": "Near-duplicate clusters (syndicated copies): `cluster` is the canonical "
                       "document, `voice` the source key of the outlet's own narration.",
    },
    "document_duplicates": {
        "description": "Pairs of near-duplicate documents with their estimated Jaccard similarity.",
    },
    "document_lsh": {"description": "MinHash LSH buckets for finding near-duplicates.", "hidden": True},
    "event_key_propositions": {"description": "claims.event_key → proposition key.", "hidden": True},
    "migrations": {"description": "Schema migrations applied to this database.", "hidden": True},
}


def datasette_metadata(database: str) -> dict:
    """The metadata.json content for a database Datasette will call ``database``."""
    return {
        "title": "claimgraph",
        "description": "Who says who did what to whom — through whom, how sure, and who denies "
                       "it: claims, PLOVER events and actors extracted from news.",
        "databases": {
            database: {
                "description": "Documents, actors, claims and the events they carry.",
                "tables": {name: dict(config) for name, config in _TABLES.items()},
            }
        },
    }
