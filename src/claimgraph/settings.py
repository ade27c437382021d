"""One settings object: packaged defaults, then a user file, then explicit overrides."""
from __future__ import annotations

import configparser
import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import ConfigError

DEFAULT_CONFIG = "default.cfg"


@dataclass
class Settings:
    model: str = "auto"
    batch_size: int = 64
    jobs: int = 1
    max_chars: int = 1_000_000
    min_chars: int = 1
    kb_extra: list[str] = field(default_factory=list)
    claims_min_confidence: float = 0.3
    claims_use_model: bool = True
    claims_model_threshold: float = 0.3
    events_use_model: bool = True
    store_batch_size: int = 50
    api_host: str = "127.0.0.1"
    api_port: int = 8000
    api_max_body_bytes: int = 2_000_000
    api_page_size: int = 50

    def replace(self, **overrides: Any) -> "Settings":
        """A copy with the given fields changed; ``None`` values mean 'not given'."""
        values = dict(self.__dict__)
        for key, value in overrides.items():
            if value is None:
                continue
            if key not in values:
                raise ConfigError(f"unknown setting {key!r}")
            values[key] = value
        return Settings(**values)


# (section, option) -> (field, converter)
_FIELDS = {
    ("pipeline", "model"): ("model", str),
    ("pipeline", "batch_size"): ("batch_size", int),
    ("pipeline", "jobs"): ("jobs", int),
    ("ingest", "max_chars"): ("max_chars", int),
    ("ingest", "min_chars"): ("min_chars", int),
    ("kb", "extra"): ("kb_extra", lambda v: [p.strip() for p in v.split(",") if p.strip()]),
    ("claims", "min_confidence"): ("claims_min_confidence", float),
    ("claims", "use_model"): ("claims_use_model", lambda v: _boolean(v)),
    ("claims", "model_threshold"): ("claims_model_threshold", float),
    ("events", "use_model"): ("events_use_model", lambda v: _boolean(v)),
    ("store", "batch_size"): ("store_batch_size", int),
    ("api", "host"): ("api_host", str),
    ("api", "port"): ("api_port", int),
    ("api", "max_body_bytes"): ("api_max_body_bytes", int),
    ("api", "page_size"): ("api_page_size", int),
}


def _boolean(raw: str) -> bool:
    value = raw.strip().lower()
    if value not in configparser.ConfigParser.BOOLEAN_STATES:
        raise ValueError("expected true/false, yes/no, on/off or 1/0")
    return configparser.ConfigParser.BOOLEAN_STATES[value]


def _apply(parser: configparser.ConfigParser, values: dict, origin: str) -> None:
    for section in parser.sections():
        for option, raw in parser.items(section):
            key = (section, option)
            if key not in _FIELDS:
                raise ConfigError(f"unknown option [{section}] {option}", where=origin)
            name, convert = _FIELDS[key]
            try:
                values[name] = convert(raw)
            except ValueError as exc:
                raise ConfigError(f"[{section}] {option} = {raw!r}: {exc}", where=origin) from exc


def load_settings(path: str | os.PathLike | None = None, **overrides: Any) -> Settings:
    """Packaged defaults, then ``path`` (or $CLAIMGRAPH_CONFIG), then ``overrides``."""
    values: dict[str, Any] = {}
    default = configparser.ConfigParser(inline_comment_prefixes=("#",))
    default.read_string(resources.files("claimgraph").joinpath(DEFAULT_CONFIG).read_text("utf-8"))
    _apply(default, values, DEFAULT_CONFIG)
    path = path or os.environ.get("CLAIMGRAPH_CONFIG")
    if path:
        user = configparser.ConfigParser(inline_comment_prefixes=("#",))
        if not Path(path).is_file():
            raise ConfigError("config file not found", where=str(path))
        try:
            user.read(path, encoding="utf-8")
        except configparser.Error as exc:
            raise ConfigError(str(exc), where=str(path)) from exc
        _apply(user, values, str(path))
    return Settings(**values).replace(**overrides)
