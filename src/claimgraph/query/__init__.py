"""Every question the CLI, the API and the exporters ask of a store, implemented once.

Each function takes a Store first and returns plain JSON-able dicts and lists (``network``
returns a networkx MultiDiGraph; ``network_json`` turns it into Cytoscape.js JSON).
Paginated results are ``{"total", "items", "limit", "offset"}``. Bad parameters raise
BadQueryParameter (CG501); unknown actors, documents or propositions NotFound (CG502).
"""
from ._common import PLOVER_TYPES, STANCES, STATUSES, resolve_actor
from .actors import actor_profile, actors, timeline
from .claims import claims, document, documents, iter_claims, search
from .network import network, network_json
from .propositions import iter_propositions, proposition, propositions

__all__ = [
    "claims", "iter_claims", "propositions", "proposition", "iter_propositions",
    "actor_profile", "actors", "network", "network_json", "timeline", "documents", "document", "search",
    "resolve_actor", "PLOVER_TYPES", "STANCES", "STATUSES",
]
