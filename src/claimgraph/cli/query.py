"""`claimgraph claims | propositions | actor | network | timeline | export`: questions across
articles, answered by claimgraph.query, printed as tables (rich) or JSON."""
from __future__ import annotations

import json
import os
import shutil
import sys

import click

from ..store import Store
from .options import db_option

table_or_json = click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
    help="Output format: a table for reading, or JSON (the query API's result).")
limit_option = click.option("--limit", type=int, default=50, show_default=True,
                            help="How many items to show (1-1000).")
offset_option = click.option("--offset", type=int, default=0, show_default=True,
                             help="Skip this many items first (paging).")
since_option = click.option("--since", default=None, metavar="DATE",
                            help="From this date (YYYY, YYYY-MM or YYYY-MM-DD), inclusive.")
until_option = click.option("--until", default=None, metavar="DATE",
                            help="Up to this date (YYYY, YYYY-MM or YYYY-MM-DD), inclusive.")
type_option = click.option("--type", "event_type", default=None, metavar="TYPE",
                           help="PLOVER event type (AID, ASSAULT, ACCUSE, ...).")


def _open(db: str) -> Store:
    # Writable so an older database is migrated (propositions backfilled) on first use.
    return Store(db, create=False)


def _console():
    from rich.console import Console

    # Piped or captured output gets a wide page rather than rich's 80 columns, so cells
    # (names, actor lists) do not wrap into unreadable slivers.
    width = None if sys.stdout.isatty() else int(os.environ.get("COLUMNS", 0) or 240)
    return Console(width=width or shutil.get_terminal_size((160, 40)).columns,
                   file=sys.stdout, highlight=False, soft_wrap=False)


def _table(title: str, columns: list[str], rows: list[list], caption: str | None = None,
           nowrap: tuple[str, ...] = ("id", "claim", "published", "date", "type", "status",
                                      "event date", "reported")):
    from rich.table import Table

    table = Table(title=title, caption=caption, show_lines=False, expand=False)
    for column in columns:
        table.add_column(column, overflow="fold", no_wrap=column in nowrap)
    for row in rows:
        table.add_row(*["" if v is None else str(v) for v in row])
    _console().print(table)


def _json(value) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


def _names(actors) -> str:
    return ", ".join(a["name"] for a in actors or []) or "?"


def _caption(result: dict) -> str:
    shown = len(result["items"])
    first = result["offset"] + 1 if shown else 0
    return f"{first}-{result['offset'] + shown} of {result['total']}"


def _claim_rows(items: list[dict]) -> list[list]:
    rows = []
    for c in items:
        event = c["event"]
        ev = ""
        if event:
            ev = f"{_names(event['source'])} → {_names(event['target'])}: {event['type']}"
            if event["polarity"] == "negative":
                ev += " (denied)"
        chain = " > ".join(a["name"] for a in c["chain"]) or "(outlet)"
        rows.append([c["id"], c["document"]["published"], c["document"]["outlet"], chain,
                     c["stance"], c["certainty"], ev, (c["content"] or "")[:160]])
    return rows


@click.command()
@db_option()
@click.option("--speaker", default=None, metavar="ACTOR", help="Claims this actor (id or name) makes.")
@click.option("--source", default=None, metavar="ACTOR", help="Claims whose event this actor is the source of.")
@click.option("--target", default=None, metavar="ACTOR", help="Claims whose event this actor is the target of.")
@click.option("--actor", default=None, metavar="ACTOR", help="Claims this actor appears in, in any role.")
@type_option
@since_option
@until_option
@click.option("--stance", type=click.Choice(["assert", "deny"]), default=None, help="Only assertions or only denials.")
@click.option("--text", default=None, help="Words that must all appear in the claim (full-text search).")
@click.option("--outlet", default=None, help="Only claims from documents of this outlet.")
@click.option("--doc", "doc_id", default=None, help="Only claims from this document id.")
@click.option("--proposition", default=None, help="Only claims grouped into this proposition id.")
@limit_option
@offset_option
@table_or_json
def claims(db, speaker, source, target, actor, event_type, since, until, stance, text, outlet,
           doc_id, proposition, limit, offset, fmt):
    """List claims: who says who did what to whom, through whom, how sure.

    Dates filter on publication; actors are ids (PRK, KOR-NIS) or names ("North Korea").
    """
    from ..query import claims as run

    with _open(db) as store:
        result = run(store, speaker=speaker, source=source, target=target, actor=actor,
                     type=event_type, since=since, until=until, stance=stance, text=text,
                     outlet=outlet, doc_id=doc_id, proposition=proposition, limit=limit,
                     offset=offset)
    if fmt == "json":
        return _json(result)
    _table("claims", ["id", "published", "outlet", "chain", "stance", "certainty", "event", "content"],
           _claim_rows(result["items"]), _caption(result))


def _sources(sources: list[dict]) -> str:
    return ", ".join(s["name"] for s in sources)


@click.command()
@db_option()
@click.option("--disputed", is_flag=True, help="Only propositions someone denies.")
@click.option("--status", type=click.Choice(["uncorroborated", "corroborated", "disputed"]),
              default=None, help="Only propositions with this status.")
@click.option("--actor", default=None, metavar="ACTOR",
              help="Propositions this actor is source or target of, or asserts or denies.")
@type_option
@click.option("--id", "prop_id", default=None,
              help="Show one proposition with every claim asserting and denying it.")
@limit_option
@offset_option
@table_or_json
def propositions(db, disputed, status, actor, event_type, prop_id, limit, offset, fmt):
    """List propositions: one event as claimed across documents, with who asserts it, who
    denies it, the number of independent sources and a status (uncorroborated: one
    independent source; corroborated: two or more; disputed: somebody denies it)."""
    from ..query import proposition, propositions as run

    with _open(db) as store:
        if prop_id:
            result = proposition(store, prop_id)
        else:
            result = run(store, disputed=disputed, status=status, actor=actor, type=event_type,
                         limit=limit, offset=offset)
    if fmt == "json":
        return _json(result)
    if prop_id:
        p = result
        click.echo(f"{p['id']}  {_names(p['source'])} → {_names(p['target'])}: {p['type']}  "
                   f"[{p['status']}]  independent sources: {p['independent_sources']}  "
                   f"seen {p['first_seen']} .. {p['last_seen']}")
        for side in ("asserting", "denying"):
            _table(side, ["claim", "published", "outlet", "chain", "certainty", "source", "text"],
                   [[c["id"], c["document"]["published"], c["document"]["outlet"],
                     " > ".join(a["name"] for a in c["chain"]) or "(outlet)", c["certainty"],
                     c["source_key"]["name"], (c.get("text") or c["content"] or "")[:200]]
                    for c in p[side]])
        return
    rows = []
    for p in result["items"]:
        date = p["date"]
        when = "" if not date else (date["start"] if date["start"] == date["end"]
                                    else f"{date['start']}..{date['end']}")
        rows.append([p["id"], f"{_names(p['source'])} → {_names(p['target'])}", p["type"], when,
                     p["status"], p["independent_sources"], _sources(p["asserting_sources"]),
                     _sources(p["denying_sources"]), p["n_claims"],
                     f"{p['first_seen']} .. {p['last_seen']}"])
    _table("propositions", ["id", "who → whom", "type", "event date", "status", "indep. sources",
                            "asserted by", "denied by", "claims", "reported"], rows, _caption(result))


@click.command()
@db_option()
@click.argument("actor")
@click.option("--recent", type=int, default=10, show_default=True,
              help="How many of the latest claims to list in each claim section.")
@table_or_json
def actor(db, actor, recent, fmt):
    """Profile of ACTOR (id or name): what it does and to whom, what is done to it, what it
    says, what others say about it, what it denies, and where it appears."""
    from ..query import actor_profile

    with _open(db) as store:
        p = actor_profile(store, actor, recent=recent)
    if fmt == "json":
        return _json(p)
    a = p["actor"]
    click.echo(f"{a['name']} ({a['id']})  kind={a['kind']} country={a['country']} "
               f"sector={a['sector']}  documents={a['documents']} mentions={a['mentions']}  "
               f"seen {p['first_seen']} .. {p['last_seen']}")
    _table("does (as event source)", ["type", "target", "claims", "asserted", "denied", "documents"],
           [[r["type"], (r["target"] or {}).get("name", "?"), r["claims"], r["asserted"],
             r["denied"], r["documents"]] for r in p["does"]])
    _table("done to it (as event target)", ["type", "source", "claims", "asserted", "denied", "documents"],
           [[r["type"], (r["source"] or {}).get("name", "?"), r["claims"], r["asserted"],
             r["denied"], r["documents"]] for r in p["done_to"]])
    header = ["id", "published", "outlet", "chain", "stance", "certainty", "event", "content"]
    for key, title in (("says", "says"), ("said_about", "said about it by others"),
                       ("denies", "denies")):
        _table(f"{title} ({p[key]['total']})", header, _claim_rows(p[key]["items"]))
    _table("outlets", ["outlet", "documents"], [[o["outlet"], o["documents"]] for o in p["outlets"]])


@click.command()
@db_option()
@click.option("--actor", default=None, metavar="ACTOR", help="Centre the network on this actor (id or name).")
@click.option("--depth", type=int, default=1, show_default=True, help="Hops from --actor to include (1-5).")
@type_option
@since_option
@until_option
@click.option("--format", "fmt", type=click.Choice(["table", "graphml", "gexf", "cytoscape", "json"]),
              default="table", show_default=True,
              help="table: edges on screen; graphml/gexf (Gephi, with a timeline): files; "
                   "cytoscape: Cytoscape.js elements JSON; json: networkx node-link JSON.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write to this file instead of standard output.")
def network(db, actor, depth, event_type, since, until, fmt, output):
    """The actor network: who does what to whom, as claimed (edges: source → target per
    event type, with claim counts, dates and whether anyone denies it)."""
    from ..export import write_graph
    from ..query import network as run

    with _open(db) as store:
        graph = run(store, actor=actor, depth=depth, type=event_type, since=since, until=until)
    if fmt == "table":
        rows = [[graph.nodes[u].get("name", u), d["type"], graph.nodes[v].get("name", v), d["count"],
                 d["denied"], "yes" if d["disputed"] else "", d["start"] or "", d["end"] or ""]
                for u, v, d in graph.edges(data=True)]
        _table(f"network: {graph.number_of_nodes()} actors, {graph.number_of_edges()} edges",
               ["source", "type", "target", "claims", "denied", "disputed", "from", "to"], rows)
        return
    if output:
        write_graph(graph, fmt, output)
        click.echo(f"wrote {graph.number_of_nodes()} nodes and {graph.number_of_edges()} edges "
                   f"to {output}", err=True)
    elif fmt in ("graphml", "gexf"):
        write_graph(graph, fmt, sys.stdout.buffer)
    else:
        write_graph(graph, fmt, sys.stdout)


@click.command()
@db_option()
@click.option("--actor", required=True, metavar="ACTOR", help="The actor (id or name).")
@since_option
@until_option
@click.option("--limit", type=int, default=None, help="Show at most this many items.")
@table_or_json
def timeline(db, actor, since, until, limit, fmt):
    """Everything dated about an actor, in order: events it takes part in and claims it
    makes or relays, dated by the event when known, else by publication."""
    from ..query import timeline as run

    with _open(db) as store:
        items = run(store, actor, since=since, until=until, limit=limit)
    if fmt == "json":
        return _json(items)
    _table("timeline", ["date", "basis", "role", "type", "speaker", "source → target", "stance",
                        "outlet", "content"],
           [[i["date"], i["date_basis"], ",".join(i["roles"]), i["type"] or "",
             i["speaker_name"] or "(outlet)",
             f"{_names(i['source'])} → {_names(i['target'])}" if i["type"] else "",
             i["stance"], i["outlet"], (i["content"] or "")[:120]] for i in items])


@click.command("export")
@db_option()
@click.argument("table", type=click.Choice(["claims", "events", "propositions"]))
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl", "csv", "parquet"]),
              default="json", show_default=True,
              help="json (nested, events PLOVER/POLECAT style), jsonl, csv or parquet (flat columns).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Output file (required for parquet; default standard output).")
@type_option
@click.option("--actor", default=None, metavar="ACTOR", help="Only rows involving this actor (id or name).")
def export_command(db, table, fmt, output, event_type, actor):
    """Export TABLE (claims, events or propositions) as JSON, JSON Lines, CSV or Parquet."""
    from ..export import export

    filters = {k: v for k, v in (("type", event_type), ("actor", actor)) if v is not None}
    with _open(db) as store:
        n = export(store, table, fmt, output or sys.stdout, **filters)
    if output:
        click.echo(f"wrote {n} {table} to {output}", err=True)


commands = [claims, propositions, actor, network, timeline, export_command]
