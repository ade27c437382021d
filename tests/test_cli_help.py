"""Every command and option a user can type explains itself."""
from __future__ import annotations

import click
from click.testing import CliRunner

from claimgraph.cli.main import cli


def _walk(group: click.Group, prefix=()):
    for name, command in sorted(group.commands.items()):
        yield prefix + (name,), command
        if isinstance(command, click.Group):
            yield from _walk(command, prefix + (name,))


def test_every_command_has_help_text():
    missing = [" ".join(path) for path, command in _walk(cli) if not (command.help or "").strip()]
    assert missing == []


def test_every_option_has_help_text():
    missing = []
    for path, command in _walk(cli):
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden and not (param.help or "").strip():
                if param.name not in ("help",):
                    missing.append(f"{' '.join(path)} {param.opts[0]}")
    assert missing == []


def test_help_runs_for_every_command():
    runner = CliRunner()
    for path, _ in _walk(cli):
        result = runner.invoke(cli, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        assert "Usage:" in result.output


def test_core_commands_are_registered():
    assert {"extract"} <= set(cli.commands)
