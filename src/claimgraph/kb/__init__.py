"""The actor knowledge base: states, organisations, people (with dated roles), media, armed
groups and IGOs, with alias, demonym and capital lookups. Imports nothing from claimgraph.nlp."""
from .base import Entry, KnowledgeBase, Role, load_kb
from .normalize import norm, slug

__all__ = ["Entry", "KnowledgeBase", "Role", "load_kb", "norm", "slug"]
