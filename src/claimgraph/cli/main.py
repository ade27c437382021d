"""The `claimgraph` command. Commands live in one module each and are thin: parse options,
call a library function, print. Typed errors become one line on stderr and exit status 1."""
from __future__ import annotations

import importlib
import logging
import sys

import click

from ..errors import ClaimgraphError

# Each module defines `commands`: a list of click commands/groups to add to the root group.
COMMAND_MODULES = [
    "claimgraph.cli.extract",
    "claimgraph.cli.store",
    "claimgraph.cli.evaluate",
    "claimgraph.cli.kb",
    "claimgraph.cli.spark",
    "claimgraph.cli.query",
    "claimgraph.cli.serve",
]


class _Root(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ClaimgraphError as exc:
            click.echo(f"error: {exc.one_line()}", err=True)
            ctx.exit(1)


@click.group(cls=_Root, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", type=click.Path(dir_okay=False), envvar="CLAIMGRAPH_CONFIG",
              help="A config file overriding the packaged defaults (see default.cfg).")
@click.option("--verbose", "-v", is_flag=True, help="Log debugging detail to stderr.")
@click.version_option(package_name="claimgraph")
def cli(config, verbose):
    """claimgraph: who says who did what to whom — through whom, how sure, and who denies it.

    Reads news (text, HTML, JSONL, CSV, RSS/Atom, WARC) and emits actors, PLOVER-coded events
    and the claims that carry them, with reporting chains, certainty and stance; stores them
    in SQLite and answers questions across articles.
    """
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


for _module in COMMAND_MODULES:
    for _command in importlib.import_module(_module).commands:
        cli.add_command(_command)


def main() -> None:
    cli(prog_name="claimgraph")


if __name__ == "__main__":
    main()
