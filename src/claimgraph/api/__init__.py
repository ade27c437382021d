"""The analyst's workbench: a JSON API under ``/api`` and server-rendered pages over one store.

``create_app(db_path, token=None, settings=None)`` builds the FastAPI app; ``claimgraph serve``
runs it with uvicorn. Every question the app asks goes through ``claimgraph.query`` (the one
implementation the CLI shares); this package holds HTTP plumbing and presentation only.
"""
from .app import create_app

__all__ = ["create_app"]
