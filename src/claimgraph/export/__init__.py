"""Files out of a store: claims, events and propositions as JSON / CSV / Parquet, and the
actor network as GraphML, GEXF (dynamic, for Gephi's timeline) or Cytoscape.js JSON. All
data comes from claimgraph.query; nothing here queries the database itself."""
from .graphs import GRAPH_FORMATS, flat_graph, write_graph
from .tables import FORMATS, TABLES, export, records

__all__ = ["export", "records", "write_graph", "flat_graph", "TABLES", "FORMATS", "GRAPH_FORMATS"]
