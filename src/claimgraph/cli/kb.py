"""`claimgraph resolve` and `claimgraph kb search|show`: what the actor KB knows."""
from __future__ import annotations

import json
import sys

import click

from ..errors import MalformedRecord, UnknownActor
from .options import kb_option, settings_from


@click.command("resolve")
@click.argument("texts", nargs=-1)
@click.option("--input-format", "-f", "input_format", type=click.Choice(["text", "jsonl"]), default="text",
              show_default=True, help="text: each TEXT argument (or stdin line) is a phrase; "
              "jsonl: stdin lines are {\"id\",\"text\",\"published\"}.")
@click.option("--published", default=None, help="Date (YYYY-MM-DD) at which people's roles are taken.")
@kb_option
@click.pass_context
def resolve_cmd(ctx, texts, input_format, published, kb_extra):
    """Print the best actor for each phrase as one JSON line: {"text", "actor": {...} | null}."""
    from ..nlp.resolve import resolve_phrase

    settings = settings_from(ctx, kb_extra=kb_extra)
    if input_format == "jsonl":
        for n, line in enumerate(sys.stdin, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise MalformedRecord(f"line {n}: {exc}", where="stdin") from exc
            actor = resolve_phrase(row.get("text", ""), row.get("published") or published, settings.kb_extra)
            out = {"text": row.get("text", ""), "actor": actor}
            if "id" in row:
                out = {"id": row["id"], **out}
            click.echo(json.dumps(out, ensure_ascii=False))
        return
    for text in texts or (line.rstrip("\n") for line in sys.stdin):
        click.echo(json.dumps({"text": text, "actor": resolve_phrase(text, published, settings.kb_extra)},
                              ensure_ascii=False))


@click.group("kb")
def kb_group():
    """Look up actors in the knowledge base (states, people, agencies, media, armed groups, IGOs)."""


@kb_group.command("search")
@click.argument("name", nargs=-1, required=True)
@click.option("--limit", default=10, show_default=True, help="Most entries to show.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines instead of a table.")
@kb_option
@click.pass_context
def search_cmd(ctx, name, limit, as_json, kb_extra):
    """Entries whose names or aliases match NAME, best first."""
    from ..kb import load_kb

    kb = load_kb(settings_from(ctx, kb_extra=kb_extra).kb_extra)
    for e in kb.search(" ".join(name), limit=limit):
        if as_json:
            click.echo(json.dumps({"id": e.id, "name": e.name, "country": e.country, "sector": e.sector,
                                   "kind": e.kind}, ensure_ascii=False))
        else:
            click.echo(f"{e.id:32} {e.kind:12} {e.country:4} {e.sector:4} {e.name}")


@kb_group.command("show")
@click.argument("actor_id")
@kb_option
@click.pass_context
def show_cmd(ctx, actor_id, kb_extra):
    """Everything the KB holds on one entry, as JSON."""
    from ..kb import load_kb

    kb = load_kb(settings_from(ctx, kb_extra=kb_extra).kb_extra)
    e = kb.get(actor_id)
    if e is None:
        raise UnknownActor(f"no KB entry {actor_id!r}")
    data = {"id": e.id, "name": e.name, "aliases": e.aliases, "country": e.country, "sector": e.sector,
            "kind": e.kind, "verified": e.verified, "source": e.source,
            "roles": [r.__dict__ for r in e.roles]}
    if e.kind == "state":
        data.update(demonyms=e.demonyms, capitals=e.capitals)
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


commands = [resolve_cmd, kb_group]
