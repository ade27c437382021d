"""Learned models beside the rules: a sentence-level event classifier and an attribution-cue
classifier, both linear models over features of the spaCy parse the pipeline already made.

Why linear models and small MLPs over parse features rather than a neural textcat: they train
in minutes on CPU from the labelled data we have, cost well under a millisecond per sentence at
run time (the parse is already paid for), stay a few MB at most on disk, and their features
(lemmas, dependency frames, the small model's tok2vec vectors) are the same evidence the rules
use, so a model decision can be read next to the rule that it confirms or vetoes. The event
classifier is linear; the cue classifier is an MLP (``MLPModel``: one ReLU layer over the same
sparse features plus tok2vec context), which learns the conjunctions PolNeAR's borderline cues
turn on.

Both models are optional: ``EventClassifier.load_optional()`` / ``CueClassifier.load_optional()``
return None when the artifact is absent (a clean checkout without ``make train`` output, or a
packaging that left models out), and callers then keep their rule-only path.

Artifacts live in ``src/claimgraph/models/<name>/``: ``meta.json`` (version, labels, data hashes,
scores, seed, date), ``features.json`` (the feature vocabulary) and ``weights.npz``. The training
code is here too, next to the feature code, so training and prediction can never featurise
differently; ``scripts/train_event_classifier.py`` and ``scripts/train_cue_classifier.py`` drive it.
"""
from __future__ import annotations

import json
from datetime import date
import logging
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
from spacy.attrs import LEMMA, LOWER, ORTH, POS
from spacy.symbols import ADJ, NOUN, PROPN, VERB
from spacy.tokens import Doc, Span, Token

from ..errors import ModelArtifactInvalid, ModelArtifactMissing

log = logging.getLogger("claimgraph.nlp")

EVENT_MODEL = "event_classifier"
CUE_MODEL = "cue_classifier"
FORMAT_VERSION = 1

PLOVER_TYPES = ("AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT", "REQUEST",
                "ACCUSE", "REJECT", "THREATEN", "PROTEST", "MOBILIZE", "SANCTION", "COERCE", "ASSAULT")
QUAD_LABELS = ("statement", "verbal_coop", "material_coop", "verbal_conflict", "material_conflict")
# The 5-way class each PLOVER type's CAMEO codes fall in (its CAMEO root), and the code a
# model-added event takes where a type spans two classes: REQUEST is an appeal (CAMEO 02, a
# statement) or a demand (10, verbal conflict). Rule events keep their lexicon code: letting the
# model's class re-pick it cost accuracy on the training folds (the trigger lemma, "urge" vs
# "demand", tells appeal from demand better than the sentence model does).
TYPE_CLASS = {"REQUEST": 0, "AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "COOPERATE": 2, "AID": 2,
              "CONCEDE": 2, "RETREAT": 2, "ACCUSE": 3, "REJECT": 3, "THREATEN": 3, "PROTEST": 4,
              "MOBILIZE": 4, "SANCTION": 4, "COERCE": 4, "ASSAULT": 4}
CLASS_CAMEO = {"REQUEST": {0: "020", 3: "100"}}
# How the event model decides, when meta.json does not say (see EventClassifier.decide).
DEFAULT_DECISION = {"add": 0.7, "veto": 0.7, "reject": 0.1, "need_actor": True}


def cameo_class(code) -> int | None:
    """ConfliBERT's 5-way class of a CAMEO code by its two-digit root (01–02 statement, 03–05
    verbal cooperation, 06–08 material cooperation, 09–13 verbal and 14–20 material conflict);
    the same rule as evaluation/events.py, kept here so the pipeline does not import evaluation."""
    digits = "".join(ch for ch in str(code or "") if ch.isdigit())
    if len(digits) < 2 or not 1 <= int(digits[:2]) <= 20:
        return None
    root = int(digits[:2])
    return 0 if root <= 2 else 1 if root <= 5 else 2 if root <= 8 else 3 if root <= 13 else 4


def event_class(event: dict) -> int | None:
    klass = cameo_class(event.get("cameo"))
    return klass if klass is not None else TYPE_CLASS.get(event.get("type"))


def models_dir() -> Path:
    return Path(str(resources.files("claimgraph").joinpath("models")))


# -- the linear model ------------------------------------------------------------------------
@dataclass
class LinearModel:
    """Sparse binary features (by name) + an optional dense block → softmax or sigmoid outputs."""

    features: dict[str, int]
    weights: np.ndarray          # (n_features, n_out)
    dense_weights: np.ndarray    # (n_dense, n_out); n_dense may be 0
    bias: np.ndarray             # (n_out,)
    output: str                  # "softmax" | "sigmoid"

    def scores(self, rows: Sequence[tuple[list[str], np.ndarray | None]]) -> np.ndarray:
        n_out = self.bias.shape[0]
        out = np.tile(self.bias, (len(rows), 1)).astype(np.float64)
        n_dense = self.dense_weights.shape[0]
        for r, (names, dense) in enumerate(rows):
            idx = [self.features[f] for f in set(names) if f in self.features]
            if idx:
                out[r] += self.weights[idx].sum(axis=0)
            if n_dense and dense is not None and dense.shape[0] == n_dense:
                out[r] += dense @ self.dense_weights
        if n_out and self.output == "softmax":
            out -= out.max(axis=1, keepdims=True)
            np.exp(out, out=out)
            out /= out.sum(axis=1, keepdims=True)
        else:
            out = 1.0 / (1.0 + np.exp(-out))
        return out

    def save(self, folder: Path, prefix: str) -> None:
        names = sorted(self.features, key=self.features.get)
        (folder / f"{prefix}features.json").write_text(json.dumps(names, ensure_ascii=False), encoding="utf-8")
        # float16 halves the artifact; the rounding moves probabilities by < 1e-3
        np.savez_compressed(folder / f"{prefix}weights.npz", weights=self.weights.astype(np.float16),
                            dense=self.dense_weights.astype(np.float16), bias=self.bias.astype(np.float32),
                            output=np.array(self.output))

    @classmethod
    def read(cls, folder: Path, prefix: str) -> "LinearModel":
        try:
            names = json.loads((folder / f"{prefix}features.json").read_text(encoding="utf-8"))
            with np.load(folder / f"{prefix}weights.npz") as npz:
                weights = npz["weights"].astype(np.float32)
                dense = npz["dense"].astype(np.float32)
                bias = npz["bias"].astype(np.float32)
                output = str(npz["output"])
        except (OSError, ValueError, KeyError) as exc:
            raise ModelArtifactInvalid(f"cannot read {prefix or 'model'} weights: {exc}", where=str(folder)) from exc
        if weights.shape[0] != len(names):
            raise ModelArtifactInvalid("features.json and weights.npz disagree", where=str(folder))
        return cls({n: i for i, n in enumerate(names)}, weights, dense, bias, output)


# -- the one-hidden-layer model ----------------------------------------------------------------
@dataclass
class MLPModel:
    """The same inputs as LinearModel (sparse binary features by name + a dense block), through
    one ReLU layer: the sparse features are an embedding bag, the dense block is standardised
    with the training mean and scale. Where a linear model can only add evidence ("say" is a
    cue; a pronoun subject is a cue's), the hidden layer learns the conjunctions PolNeAR's
    borderline cues turn on ("show" with a poll as subject, "call" with an object complement).
    ``scores`` has LinearModel's signature, so callers take either."""

    features: dict[str, int]
    embed: np.ndarray           # (n_features, hidden)
    dense_weights: np.ndarray   # (n_dense, hidden); n_dense may be 0
    dense_mean: np.ndarray      # (n_dense,)
    dense_scale: np.ndarray     # (n_dense,)
    hidden_bias: np.ndarray     # (hidden,)
    out_weights: np.ndarray     # (hidden, n_out)
    out_bias: np.ndarray        # (n_out,)
    output: str                 # "softmax" | "sigmoid"

    def __post_init__(self):
        # unknown features index a zero row, so a row's ids gather in one step
        self._embed = np.vstack([self.embed, np.zeros((1, self.embed.shape[1]), self.embed.dtype)])

    def ids(self, names: Iterable[str]) -> list[int]:
        get, missing = self.features.get, len(self.features)
        return [get(f, missing) for f in set(names)]

    def scores_from_ids(self, ids: Sequence[Sequence[int]], dense: np.ndarray | None) -> np.ndarray:
        """Probabilities for rows given as feature ids (``ids``) and a dense matrix (n, n_dense)
        or None."""
        n = len(ids)
        if not n:
            return np.zeros((0, self.out_bias.shape[0]), np.float32)
        lengths = np.fromiter((len(r) for r in ids), dtype=np.int64, count=n)
        flat = np.fromiter((i for r in ids for i in r), dtype=np.int64, count=int(lengths.sum()))
        hidden = np.zeros((n, self.embed.shape[1]), np.float32)
        nonempty = lengths > 0
        if flat.size:
            starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))[nonempty]
            hidden[nonempty] = np.add.reduceat(self._embed[flat], starts, axis=0)
        if self.dense_weights.shape[0] and dense is not None:
            hidden += ((dense - self.dense_mean) / self.dense_scale).astype(np.float32) @ self.dense_weights
        hidden += self.hidden_bias
        np.maximum(hidden, 0, out=hidden)
        return _activate(hidden @ self.out_weights + self.out_bias, self.output)

    def scores(self, rows: Sequence[tuple[list[str], np.ndarray | None]]) -> np.ndarray:
        n_dense = self.dense_weights.shape[0]
        dense = None
        if n_dense:
            dense = np.zeros((len(rows), n_dense), np.float32)
            for r, (_, vec) in enumerate(rows):
                # a row without its dense block (a Doc without tensors) gets the training mean
                dense[r] = vec if vec is not None and vec.shape[0] == n_dense else self.dense_mean
        return self.scores_from_ids([self.ids(names) for names, _ in rows], dense)

    def save(self, folder: Path, prefix: str) -> None:
        names = sorted(self.features, key=self.features.get)
        (folder / f"{prefix}features.json").write_text(json.dumps(names, ensure_ascii=False), encoding="utf-8")
        np.savez_compressed(folder / f"{prefix}weights.npz", kind=np.array("mlp"),
                            embed=self.embed.astype(np.float16), dense=self.dense_weights.astype(np.float16),
                            dense_mean=self.dense_mean.astype(np.float32),
                            dense_scale=self.dense_scale.astype(np.float32),
                            hidden_bias=self.hidden_bias.astype(np.float32),
                            out=self.out_weights.astype(np.float32), bias=self.out_bias.astype(np.float32),
                            output=np.array(self.output))


def _activate(z: np.ndarray, output: str) -> np.ndarray:
    if output == "softmax":
        z = z - z.max(axis=1, keepdims=True)
        np.exp(z, out=z)
        return z / z.sum(axis=1, keepdims=True)
    return 1.0 / (1.0 + np.exp(-z))


def read_model(folder: Path, prefix: str) -> "LinearModel | MLPModel":
    """The model saved under ``prefix`` in ``folder``, linear or MLP (weights.npz says which)."""
    try:
        names = json.loads((folder / f"{prefix}features.json").read_text(encoding="utf-8"))
        with np.load(folder / f"{prefix}weights.npz") as npz:
            arrays = {k: npz[k] for k in npz.files}
    except (OSError, ValueError, KeyError) as exc:
        raise ModelArtifactInvalid(f"cannot read {prefix or 'model'} weights: {exc}", where=str(folder)) from exc
    features = {n: i for i, n in enumerate(names)}
    try:
        output = str(arrays["output"])
        if str(arrays.get("kind", "linear")) == "mlp":
            model = MLPModel(features, arrays["embed"].astype(np.float32), arrays["dense"].astype(np.float32),
                             arrays["dense_mean"], arrays["dense_scale"], arrays["hidden_bias"],
                             arrays["out"], arrays["bias"], output)
            rows = model.embed.shape[0]
        else:
            model = LinearModel(features, arrays["weights"].astype(np.float32), arrays["dense"].astype(np.float32),
                                arrays["bias"].astype(np.float32), output)
            rows = model.weights.shape[0]
    except KeyError as exc:
        raise ModelArtifactInvalid(f"weights.npz lacks {exc}", where=str(folder)) from exc
    if rows != len(names):
        raise ModelArtifactInvalid("features.json and weights.npz disagree", where=str(folder))
    return model


def fit_mlp(rows: Sequence[list[str]], dense: np.ndarray | None, targets: np.ndarray, vocab: dict[str, int],
            output: str, hidden: int = 64, epochs: int = 4, lr: float = 2e-3, batch: int = 256,
            dropout: float = 0.3, l2: float = 1e-6, seed: int = 13, log=None) -> MLPModel:
    """Minibatch Adam (sparse rows: only the embedding rows a batch uses are updated, as torch's
    SparseAdam does) with dropout on the hidden layer. ``targets``: (n, k) one-hot for softmax,
    0/1 for sigmoid. Deterministic for a seed. ``log(epoch, loss, model)`` after each epoch."""
    rng = np.random.default_rng(seed)
    n, k = targets.shape
    F = len(vocab)
    D = dense.shape[1] if dense is not None else 0
    ids = [sorted({vocab[f] for f in names if f in vocab}) for names in rows]
    lengths = np.array([len(x) for x in ids], dtype=np.int64)
    flat = np.concatenate([np.array(x, dtype=np.int64) for x in ids]) if n else np.zeros(0, np.int64)
    offsets = np.concatenate(([0], np.cumsum(lengths)))
    mean = dense.mean(axis=0).astype(np.float32) if D else np.zeros(0, np.float32)
    scale = (dense.std(axis=0) + 1e-6).astype(np.float32) if D else np.zeros(0, np.float32)
    X = ((dense - mean) / scale).astype(np.float32) if D else None
    params = {
        "embed": (rng.normal(0, 0.02, (F, hidden))).astype(np.float32),
        "dense": (rng.normal(0, 1, (D, hidden)) * np.sqrt(2.0 / max(D, 1))).astype(np.float32),
        "hidden_bias": np.zeros(hidden, np.float32),
        "out": (rng.normal(0, 1, (hidden, k)) * np.sqrt(1.0 / hidden)).astype(np.float32),
        "bias": np.zeros(k, np.float32),
    }
    moments = {name: (np.zeros_like(p), np.zeros_like(p)) for name, p in params.items()}
    b1, b2, eps = 0.9, 0.999, 1e-8
    targets = targets.astype(np.float32)
    step = 0

    def adam(name, grad, rows_=None):
        p, (m, v) = params[name], moments[name]
        c1, c2 = 1 - b1 ** step, 1 - b2 ** step
        if rows_ is None:
            m *= b1
            m += (1 - b1) * grad
            v *= b2
            v += (1 - b2) * grad * grad
            p -= lr * (m / c1) / (np.sqrt(v / c2) + eps)
        else:
            m[rows_] = b1 * m[rows_] + (1 - b1) * grad
            v[rows_] = b2 * v[rows_] + (1 - b2) * grad * grad
            p[rows_] -= lr * (m[rows_] / c1) / (np.sqrt(v[rows_] / c2) + eps)

    for epoch in range(epochs):
        order = rng.permutation(n)
        total = 0.0
        for start in range(0, n, batch):
            batch_rows = order[start:start + batch]
            nb = len(batch_rows)
            step += 1
            parts = [flat[offsets[r]:offsets[r + 1]] for r in batch_rows]
            idx = np.concatenate(parts)
            row_of = np.repeat(np.arange(nb), [len(p) for p in parts])
            pre = np.zeros((nb, hidden), np.float32)
            np.add.at(pre, row_of, params["embed"][idx])
            if D:
                pre += X[batch_rows] @ params["dense"]
            pre += params["hidden_bias"]
            act = np.maximum(pre, 0)
            keep = None
            if dropout:
                keep = (rng.random(act.shape) >= dropout).astype(np.float32) / (1 - dropout)
                act = act * keep
            prob = _activate(act @ params["out"] + params["bias"], output)
            y = targets[batch_rows]
            if output == "softmax":
                total += float(-(y * np.log(prob + 1e-9)).sum())
            else:
                total += float(-(y * np.log(prob + 1e-9) + (1 - y) * np.log(1 - prob + 1e-9)).sum())
            g = (prob - y) / nb
            g_hidden = g @ params["out"].T
            if keep is not None:
                g_hidden *= keep
            g_hidden *= pre > 0
            used, inverse = np.unique(idx, return_inverse=True)
            g_embed = np.zeros((len(used), hidden), np.float32)
            np.add.at(g_embed, inverse, g_hidden[row_of])
            g_embed += l2 * params["embed"][used]
            adam("out", act.T @ g)
            adam("bias", g.sum(axis=0))
            adam("hidden_bias", g_hidden.sum(axis=0))
            if D:
                adam("dense", X[batch_rows].T @ g_hidden + l2 * params["dense"])
            adam("embed", g_embed, used)
        model = MLPModel(dict(vocab), params["embed"], params["dense"], mean, scale, params["hidden_bias"],
                         params["out"], params["bias"], output)
        if log is not None:
            log(epoch, total / max(1, n), model)
    return MLPModel(dict(vocab), params["embed"].copy(), params["dense"].copy(), mean, scale,
                    params["hidden_bias"].copy(), params["out"].copy(), params["bias"].copy(), output)


def _read_meta(name: str, folder: Path | None) -> tuple[Path, dict]:
    folder = Path(folder) if folder is not None else models_dir() / name
    meta_path = folder / "meta.json"
    if not meta_path.is_file():
        raise ModelArtifactMissing(f"no {name} artifact (run `make train`)", where=str(folder))
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelArtifactInvalid(f"unreadable meta.json: {exc}", where=str(folder)) from exc
    if meta.get("format") != FORMAT_VERSION:
        raise ModelArtifactInvalid(f"artifact format {meta.get('format')} is not {FORMAT_VERSION}",
                                   where=str(folder))
    return folder, meta


def _dense(tokens: Iterable[Token], width: int) -> np.ndarray | None:
    """Mean tok2vec vector of ``tokens``, L2-normalised; None when the Doc has no tensor of the
    width the model was trained with (another base model, or a Doc made without tok2vec)."""
    tokens = list(tokens)
    if not tokens or not width:
        return None
    tensor = tokens[0].doc.tensor
    if tensor is None or getattr(tensor, "ndim", 0) != 2 or tensor.shape[1] != width \
            or tensor.shape[0] != len(tokens[0].doc):
        return None
    if len(tokens) == 1:
        vec = np.asarray(tensor[tokens[0].i], dtype=np.float32)
    else:
        vec = np.asarray(tensor[tokens[0].i:tokens[-1].i + 1] if tokens[-1].i - tokens[0].i + 1 == len(tokens)
                         else tensor[[t.i for t in tokens]], dtype=np.float32).mean(axis=0)
    norm = float(np.sqrt(vec @ vec))
    return vec / norm if norm else vec


# -- event features --------------------------------------------------------------------------
_KEEP_STOP = {"not", "no", "never", "against", "with", "to", "from", "off", "out", "up", "down", "back"}


def event_features(sent: Span) -> list[str]:
    """Sparse feature names of one sentence: lemmas, lemma bigrams, predicate frames."""
    feats = ["BIAS"]
    toks = [t for t in sent if not t.is_space]
    words = [t.lemma_.lower() for t in toks if t.is_alpha and (not t.is_stop or t.lower_ in _KEEP_STOP)]
    feats += [f"w={w}" for w in words]
    feats += [f"b={a}_{b}" for a, b in zip(words, words[1:])]
    for tok in toks:
        lemma = tok.lemma_.lower()
        if tok.dep_ == "ROOT":
            feats.append(f"root={lemma}")
        if tok.pos_ == "VERB":
            feats.append(f"v={lemma}")
            for child in tok.children:
                if child.dep_ in ("dobj", "nsubjpass", "attr"):
                    feats.append(f"vo={lemma}_{child.lemma_.lower()}")
                elif child.dep_ == "prep":
                    feats.append(f"vp={lemma}_{child.lower_}")
                    pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
                    if pobj is not None:
                        feats.append(f"vpo={lemma}_{child.lower_}_{pobj.lemma_.lower()}")
                elif child.dep_ == "neg":
                    feats.append(f"neg={lemma}")
                elif child.dep_ == "xcomp":
                    feats.append(f"vx={lemma}_{child.lemma_.lower()}")
                elif child.dep_ == "prt":
                    feats.append(f"vprt={lemma}_{child.lower_}")
        elif tok.pos_ == "NOUN" and tok.dep_ in ("dobj", "nsubj", "nsubjpass", "pobj", "ROOT"):
            feats.append(f"n{tok.dep_}={lemma}")
    feats += [f"ent={label}" for label in _ent_labels(sent)]
    return feats


def _ent_labels(sent: Span) -> list[str]:
    """The labels of ``sent.ents`` (entities wholly inside the span), from the tokens' IOB tags:
    ``Span.ents`` rescans the whole document, which made it most of the cost of a long article."""
    doc = sent.doc
    out = []
    for tok in sent:
        if tok.ent_iob_ == "B":
            end = tok.i + 1
            while end < len(doc) and doc[end].ent_iob_ == "I":
                end += 1
            if end <= sent.end:
                out.append(tok.ent_type_)
    return out


class EventClassifier:
    """Sentence → PLOVER type probabilities (multi-label) and ConfliBERT 5-way class."""

    def __init__(self, types: LinearModel, quad: LinearModel, meta: dict):
        self.types_model = types
        self.quad_model = quad
        self.meta = meta
        self.type_labels = tuple(meta["type_labels"])
        self.quad_labels = tuple(meta["quad_labels"])
        self.dense_width = int(meta.get("dense_width") or 0)
        self.type_thresholds = {k: float(v) for k, v in (meta.get("type_thresholds") or {}).items()}
        self.decision = {**DEFAULT_DECISION, **(meta.get("decision") or {})}

    @classmethod
    def load(cls, folder: str | Path | None = None) -> "EventClassifier":
        folder, meta = _read_meta(EVENT_MODEL, folder)
        return cls(read_model(folder, "types_"), read_model(folder, "quad_"), meta)

    @classmethod
    def load_optional(cls, folder: str | Path | None = None) -> "EventClassifier | None":
        return _optional(cls, folder)

    def _rows(self, sentences) -> list[tuple[list[str], np.ndarray | None]]:
        return [(event_features(s), _dense(s, self.dense_width)) for s in _as_spans(sentences)]

    def predict(self, sentences) -> list[dict]:
        """One dict per sentence: {"types": {TYPE: p}, "quad": {class: p}, "type": best type
        above its threshold or None, "quad_label": the argmax class}. ``sentences``: spaCy
        Spans (``doc.sents``) or strings (parsed with the bare base model)."""
        rows = self._rows(sentences)
        if not rows:
            return []
        tp = self.types_model.scores(rows)
        qp = self.quad_model.scores(rows)
        out = []
        for t_row, q_row in zip(tp, qp):
            types = {lab: round(float(p), 4) for lab, p in zip(self.type_labels, t_row)}
            best = max(types, key=types.get)
            quad = {lab: round(float(p), 4) for lab, p in zip(self.quad_labels, q_row)}
            out.append({"types": types, "quad": quad,
                        "type": best if types[best] >= self.type_thresholds.get(best, 0.5) else None,
                        "quad_label": max(quad, key=quad.get)})
        return out

    def predict_types(self, sentences) -> list[dict[str, float]]:
        return [p["types"] for p in self.predict(sentences)]

    def decide(self, pred: dict, events: list[dict]) -> dict:
        """What the model does to one sentence's rule events (``pred``: one ``predict`` row).

        - ``drop``: when the model gives "statement" (CAMEO 01–02: comments and appeals, no
          PLOVER event) at least ``veto`` and above every other class, the rule events whose
          class it gives less than ``reject``: the model decides *whether* there is an event.
        - ``add``: a PLOVER type when the model gives a non-statement class at least ``add`` and
          the rules kept no event in the sentence: the likeliest type of that class. Beside a
          rule event the rules' type stands: the type head alone is weak (see the model card).
        Thresholds come from meta.json ``decision`` (chosen on ConfliBERT's training folds)."""
        quad = [pred["quad"][lab] for lab in self.quad_labels]
        top = max(range(len(quad)), key=quad.__getitem__)
        no_event = top == 0 and quad[0] >= self.decision["veto"]
        out: dict = {"drop": [], "add": None, "class": None, "p": 0.0}
        for i, ev in enumerate(events):
            klass = event_class(ev)
            # an appeal (CAMEO 02) is itself of the statement class: the model agrees with it
            if no_event and klass not in (None, 0) and quad[klass] < self.decision["reject"]:
                out["drop"].append(i)
        if top != 0 and quad[top] >= self.decision["add"] and len(out["drop"]) == len(events):
            types = pred["types"]
            cands = [t for t in types if TYPE_CLASS.get(t) == top]
            if cands:
                out.update(add=max(cands, key=types.get), p=quad[top], **{"class": top})
        return out


# -- cue features ----------------------------------------------------------------------------
PERSON_WORDS = {"he", "she", "i", "we", "you", "they", "who"}
COLON_CHARS = {":"}


def cue_candidates(doc: Doc, nouns: frozenset[str] = frozenset(), adjs: frozenset[str] = frozenset()) -> list[int]:
    """Tokens that could be attribution cues: every verb, "according", ":" and the nouns and
    adjectives that are cues in PolNeAR train (``nouns``/``adjs``, stored in the model)."""
    # one to_array instead of a Token per word: this runs over every token of every article
    strings = doc.vocab.strings
    arr = doc.to_array([POS, LEMMA, LOWER, ORTH])
    according, colon = strings["according"], strings[":"]  # hashes: no lookup of the store
    out = []
    for i, (pos, lemma, lower, orth) in enumerate(arr.tolist()):
        if pos == VERB or lower == according or orth == colon:
            out.append(i)
        elif (pos == NOUN or pos == PROPN) and strings[lemma].lower() in nouns:
            out.append(i)
        elif pos == ADJ and strings[lemma].lower() in adjs:
            out.append(i)
    return out


def _quote_index(doc: Doc, text: str | None = None) -> list[int]:
    """token → index of the direct quote holding it, or -1."""
    from .quotes import find_quotes  # the robust scanner the claims component uses

    quotes = find_quotes(doc.text if text is None else text)
    out = [-1] * len(doc)
    q = 0
    for tok in doc:
        while q < len(quotes) and quotes[q].end <= tok.idx:
            q += 1
        if q < len(quotes) and quotes[q].start <= tok.idx < quotes[q].end:
            out[tok.i] = q
    return out


def _subject(tok: Token) -> Token | None:
    current = tok
    for _ in range(3):
        for child in current.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                return child
            if child.dep_ == "agent":
                pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
                if pobj is not None:
                    return pobj
        if current.dep_ in ("xcomp", "conj", "advcl") and current.head.i != current.i:
            current = current.head
            continue
        break
    return None


def cue_features(doc: Doc, i: int, quoted: list[int], first_newline: int | None = None) -> list[str]:
    """``first_newline``: offset of the first newline in doc.text (-1 if none); pass it when
    scoring many tokens, since ``doc.text`` is rebuilt on every access."""
    tok = doc[i]
    if first_newline is None:
        first_newline = doc.text.find("\n")
    lemma = tok.lemma_.lower()
    pos = tok.pos_
    feats = ["BIAS", f"l={lemma}", f"p={pos}", f"t={tok.tag_}", f"d={tok.dep_}", f"ld={lemma}_{tok.dep_}",
             f"lt={lemma}_{tok.tag_}", f"hd={tok.head.lemma_.lower()}_{tok.dep_}"]
    if tok.lower_ == "according":
        nxt = doc[i + 1].lower_ if i + 1 < len(doc) else ""
        feats.append(f"acc_next={nxt}")
    deps = set()
    for child in tok.children:
        dep = child.dep_
        deps.add(dep)
        if dep in ("ccomp", "xcomp", "dobj", "prep", "dative", "advcl", "parataxis", "acl", "relcl", "neg", "aux", "advmod", "prt"):
            feats.append(f"c={dep}")
            feats.append(f"lc={lemma}_{dep}")
        if dep == "prep":
            feats.append(f"lp={lemma}_{child.lower_}")
        if dep in ("aux", "advmod", "neg"):
            feats.append(f"m={child.lower_}")
        if dep in ("ccomp", "xcomp"):
            mark = next((g.lower_ for g in child.children if g.dep_ in ("mark", "aux")), "-")
            feats.append(f"cm={dep}_{mark}")
            if quoted[child.i] >= 0 or any(quoted[g.i] >= 0 for g in (child.left_edge, child.right_edge)):
                feats.append("comp_quoted")
    if not deps & {"ccomp", "xcomp", "dobj", "prep"}:
        feats.append(f"bare={lemma}")
    if tok.dep_ in ("parataxis", "ccomp", "advcl", "relcl", "acl", "amod", "compound", "pcomp", "conj"):
        feats.append(f"hp={tok.head.pos_}_{tok.dep_}")
    subj = _subject(tok)
    if subj is None:
        feats.append("subj=none")
    else:
        kind = ("PRON_P" if subj.lower_ in PERSON_WORDS else "PRON") if subj.pos_ == "PRON" else subj.pos_
        feats.append(f"subj={kind}")
        if subj.ent_type_:
            feats.append(f"subj_ent={subj.ent_type_}")
        feats.append(f"subj_l={subj.lemma_.lower()}")
        feats.append(f"subj_dep={subj.dep_}")
        feats.append(f"l_subj={lemma}_{kind}")
    # inside a direct quote (nested attribution) / next to one (the quote's cue)
    q = quoted[i]
    if q >= 0:
        feats += ["in_quote", f"l_inq={lemma}"]
    near = [quoted[j] for j in range(max(0, i - 4), min(len(doc), i + 5)) if j != i]
    if any(x >= 0 and x != q for x in near):
        feats += ["near_quote", f"l_nearq={lemma}"]
    sent = tok.sent
    rel = (i - sent.start) / max(1, len(sent))
    feats.append(f"pos_sent={min(4, int(rel * 5))}")
    if i == sent.end - 1 or (i + 1 < len(doc) and doc[i + 1].is_punct and i + 2 >= sent.end):
        feats.append("sent_final")
    on_first_line = first_newline < 0 or first_newline >= tok.idx
    if on_first_line:
        feats.append("first_line")
    if tok.text in COLON_CHARS:
        before = [t for t in doc[max(sent.start, i - 4):i]]
        feats.append(f"colon_prev={before[-1].pos_ if before else '-'}")
        if before and before[-1].ent_type_:
            feats.append(f"colon_prev_ent={before[-1].ent_type_}")
        nxt = doc[i + 1] if i + 1 < len(doc) else None
        feats.append(f"colon_next={nxt.pos_ if nxt is not None else '-'}")
        if nxt is not None and quoted[nxt.i] >= 0:
            feats.append("colon_quote")
        feats.append(f"colon_line={'first' if on_first_line else 'later'}")
    prev = doc[i - 1].lower_ if i > 0 else "-"
    nxt = doc[i + 1].lower_ if i + 1 < len(doc) else "-"
    feats += [f"prev={prev}", f"next={nxt}", f"l_next={lemma}_{nxt}"]
    # a cue nested in another's clause ("said he believed") is often annotated on its own
    head = tok.head
    if head.i != i and tok.dep_ in ("ccomp", "xcomp") and head.pos_ == "VERB":
        feats.append(f"under={head.lemma_.lower()}")
    # deeper nesting ("said the report showed …", "told reporters he plans to …"): PolNeAR
    # marks some nested cues and not others, by the verb whose content holds them
    anc, hops = head, 1
    while anc.head.i != anc.i and anc.pos_ != "VERB" and hops < 4:
        anc, hops = anc.head, hops + 1
    if anc.i != i and anc.pos_ == "VERB" and not (hops == 1 and tok.dep_ in ("ccomp", "xcomp")):
        feats.append(f"anc={anc.lemma_.lower()}")
        feats.append(f"l_anc={lemma}_{anc.lemma_.lower()}")
    return feats


CONTEXT_BLOCKS = 6


def cue_context(doc: Doc, i: int, width: int) -> np.ndarray | None:
    """tok2vec rows around candidate ``i``: the token, its subject, its head, its complement
    (ccomp/xcomp/dobj), the mean of a ±2 window and of its sentence; zeros for a missing one.
    None when the Doc has no tensor of ``width`` (another base model, or no tok2vec)."""
    tensor = doc.tensor
    if tensor is None or getattr(tensor, "ndim", 0) != 2 or tensor.shape[1] != width or tensor.shape[0] != len(doc):
        return None
    tok = doc[i]
    zero = np.zeros(width, np.float32)
    subj = _subject(tok)
    comp = next((c for c in tok.children if c.dep_ in ("ccomp", "xcomp", "dobj")), None)
    sent = tok.sent
    lo, hi = max(sent.start, i - 2), min(sent.end, i + 3)
    return np.concatenate([tensor[i], tensor[subj.i] if subj is not None else zero,
                           tensor[tok.head.i] if tok.head.i != i else zero,
                           tensor[comp.i] if comp is not None else zero,
                           tensor[lo:hi].mean(axis=0), tensor[sent.start:sent.end].mean(axis=0)]).astype(np.float32)


class CueClassifier:
    """Probability that a candidate token is an attribution cue, in context."""

    def __init__(self, model: LinearModel, meta: dict):
        self.model = model
        self.meta = meta
        self.nouns = frozenset(meta.get("cue_nouns") or ())
        self.adjs = frozenset(meta.get("cue_adjs") or ())
        self.threshold = float(meta.get("threshold", 0.5))
        self.dense_width = int(meta.get("dense_width") or 0)
        # "token": the candidate's own normalised tok2vec row (the linear model); "context": the
        # rows of cue_context (the MLP)
        self.dense_kind = meta.get("dense_kind", "token")

    @classmethod
    def load(cls, folder: str | Path | None = None) -> "CueClassifier":
        folder, meta = _read_meta(CUE_MODEL, folder)
        return cls(read_model(folder, ""), meta)

    @classmethod
    def load_optional(cls, folder: str | Path | None = None) -> "CueClassifier | None":
        return _optional(cls, folder)

    def candidates(self, doc: Doc) -> list[int]:
        return cue_candidates(doc, self.nouns, self.adjs)

    def score(self, doc: Doc, candidate_token_indices: Iterable[int] | None = None,
              quoted: list[int] | None = None, text: str | None = None) -> list[float]:
        """P(attribution cue) for each token index (default: every candidate of the doc)."""
        idx = list(self.candidates(doc) if candidate_token_indices is None else candidate_token_indices)
        if not idx:
            return []
        text = doc.text if text is None else text
        quoted = _quote_index(doc, text) if quoted is None else quoted
        first_newline = text.find("\n")
        dense = (cue_context if self.dense_kind == "context" else lambda d, i, w: _dense([d[i]], w))
        rows = [(cue_features(doc, i, quoted, first_newline), dense(doc, i, self.dense_width)) for i in idx]
        return [float(p) for p in self.model.scores(rows)[:, 0]]

    def score_spans(self, doc: Doc, char_spans: Sequence[Sequence[int] | None]) -> list[float | None]:
        """P(cue) for claims' ``cue_span``s (char offsets): the syntactic head of each span is
        scored ("said" in "has also said", "according" in "according to"); None for a
        missing span."""
        index = []
        for span in char_spans:
            tok = None
            if span:
                s = doc.char_span(span[0], span[1], alignment_mode="expand")
                words = [t for t in s if not t.is_space] if s is not None else []
                # cue spans carry their auxiliaries and particles: the head is the word inside
                # the span whose own head lies outside it
                tok = next((t for t in words if not s.start <= t.head.i < s.end or t.head.i == t.i),
                           words[0] if words else None)
            index.append(tok.i if tok is not None else None)
        wanted = sorted({i for i in index if i is not None})
        probs = dict(zip(wanted, self.score(doc, wanted)))
        return [probs.get(i) if i is not None else None for i in index]

    def is_cue(self, p: float | None) -> bool:
        return p is not None and p >= self.threshold


# -- loading -----------------------------------------------------------------------------------
_missing_logged: set[str] = set()


def _optional(cls, folder):
    try:
        return cls.load(folder)
    except ModelArtifactMissing as exc:
        if exc.where not in _missing_logged:
            _missing_logged.add(exc.where)
            log.info("%s: rules only", exc.one_line())
        return None
    except ModelArtifactInvalid as exc:
        log.warning("%s: rules only", exc.one_line())
        return None


@lru_cache(maxsize=1)
def _bare_nlp():
    from .pipeline import load_model

    return load_model()


def _as_spans(sentences) -> list[Span]:
    items = list(sentences)
    strings = [s for s in items if isinstance(s, str)]
    parsed = iter(doc[:] for doc in _bare_nlp().pipe(strings)) if strings else iter(())
    return [next(parsed) if isinstance(s, str) else s for s in items]


@lru_cache(maxsize=2)
def shared_event_classifier() -> EventClassifier | None:
    """One loaded event model per process (None when absent), for components."""
    return EventClassifier.load_optional()


@lru_cache(maxsize=2)
def shared_cue_classifier() -> CueClassifier | None:
    return CueClassifier.load_optional()


# -- training (used by scripts/train_*.py) ------------------------------------------------------
def build_vocab(rows: Iterable[list[str]], min_count: int = 2) -> dict[str, int]:
    counts: dict[str, int] = {}
    for names in rows:
        for f in set(names):
            counts[f] = counts.get(f, 0) + 1
    kept = sorted(f for f, c in counts.items() if c >= min_count or f == "BIAS")
    return {f: i for i, f in enumerate(kept)}


def fit_linear(rows: Sequence[list[str]], dense: np.ndarray | None, targets: np.ndarray, vocab: dict[str, int],
               output: str, l2: float = 1e-4, epochs: int = 300, lr: float = 0.05,
               sample_weight: np.ndarray | None = None, mask: np.ndarray | None = None,
               seed: int = 13) -> LinearModel:
    """Full-batch Adam on a sparse binary design matrix (+ dense block). ``targets``: (n, k)
    one-hot for softmax, 0/1 for sigmoid; ``mask`` (n, k) 0 where a label is unknown (sigmoid)."""
    rng = np.random.default_rng(seed)
    n, k = targets.shape
    idx_lists = [sorted({vocab[f] for f in names if f in vocab}) for names in rows]
    lengths = np.array([len(x) for x in idx_lists])
    indices = np.concatenate([np.array(x, dtype=np.int64) for x in idx_lists]) if n else np.zeros(0, np.int64)
    row_of = np.repeat(np.arange(n), lengths)
    F = len(vocab)
    D = dense.shape[1] if dense is not None else 0
    W = np.zeros((F, k))
    V = rng.normal(0, 0.01, (D, k)) if D else np.zeros((0, k))
    b = np.zeros(k)
    sw = np.ones(n) if sample_weight is None else sample_weight.astype(np.float64)
    msk = np.ones_like(targets, dtype=np.float64) if mask is None else mask.astype(np.float64)
    norm = (sw[:, None] * msk).sum() / (k if output == "softmax" else 1)
    params = [W, V, b]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    b1, b2, eps = 0.9, 0.999, 1e-8
    for step in range(1, epochs + 1):
        z = np.zeros((n, k))
        for j in range(k):
            z[:, j] = np.bincount(row_of, weights=W[indices, j], minlength=n)
        if D:
            z += dense @ V
        z += b
        if output == "softmax":
            z -= z.max(axis=1, keepdims=True)
            p = np.exp(z)
            p /= p.sum(axis=1, keepdims=True)
        else:
            p = 1.0 / (1.0 + np.exp(-z))
        g = (p - targets) * msk * sw[:, None] / norm
        gW = np.zeros_like(W)
        g_rows = g[row_of]
        for j in range(k):
            gW[:, j] = np.bincount(indices, weights=g_rows[:, j], minlength=F)
        gW += l2 * W
        gV = dense.T @ g + l2 * V if D else np.zeros_like(V)
        gb = g.sum(axis=0)
        for p_, g_, m_, v_ in zip(params, (gW, gV, gb), m, v):
            m_ *= b1
            m_ += (1 - b1) * g_
            v_ *= b2
            v_ += (1 - b2) * g_ * g_
            p_ -= lr * (m_ / (1 - b1 ** step)) / (np.sqrt(v_ / (1 - b2 ** step)) + eps)
    return LinearModel(dict(vocab), W.astype(np.float32), V.astype(np.float32), b.astype(np.float32), output)


def file_sha256(path: str | Path) -> str:
    import hashlib

    h = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


__all__ = ["EventClassifier", "CueClassifier", "LinearModel", "event_features", "cue_features",
           "cue_candidates", "cue_context", "PLOVER_TYPES", "QUAD_LABELS", "TYPE_CLASS", "cameo_class", "event_class",
           "fit_linear", "build_vocab", "MLPModel", "fit_mlp", "read_model"]


def parse_cached(nlp, texts: list[str], cache: Path | None, batch_size: int = 8) -> list[Doc]:
    """Parsed Docs; with ``cache``, a DocBin plus the tok2vec tensors (DocBin drops them)."""
    from spacy.tokens import DocBin

    cache = Path(cache) if cache is not None else None

    if cache is not None and cache.is_file() and cache.with_suffix(".npz").is_file():
        parsed = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        if len(parsed) == len(texts) and all(p.text == t for p, t in zip(parsed, texts)):
            with np.load(cache.with_suffix(".npz")) as npz:
                flat, lengths = npz["tensor"], npz["lengths"]
            for p, t in zip(parsed, np.split(flat, np.cumsum(lengths)[:-1])):
                p.tensor = t
            return parsed
    fresh = list(nlp.pipe(texts, batch_size=batch_size))
    db = DocBin(store_user_data=False)
    for p in fresh:
        db.add(p)
    # always through DocBin, so a cached rerun sees exactly the Docs a fresh run trains on
    # (a DocBin round trip drops a few token attributes that features could otherwise read)
    parsed = list(DocBin().from_bytes(db.to_bytes()).get_docs(nlp.vocab))
    for p, f in zip(parsed, fresh):
        p.tensor = f.tensor
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        db.to_disk(cache)
        np.savez(cache.with_suffix(".npz"), tensor=np.concatenate([p.tensor for p in parsed]),
                 lengths=np.array([len(p) for p in parsed]))
    return parsed


def write_card(folder: Path, title: str, body: str, meta: dict) -> None:
    """models/<name>/CARD.md: the hand-written description plus the figures of this build."""
    figures = json.dumps({k: meta[k] for k in ("version", "date", "seed", "base_model", "base_model_version",
                                               "hyperparameters", "features", "scores", "train_seconds")
                          if k in meta}, indent=2)
    data = "\n".join(f"- `{name}`: sha256 `{info.get('sha256', '')[:16]}…`, "
                     + ", ".join(f"{k} {v}" for k, v in info.items() if k != "sha256")
                     for name, info in meta.get("data", {}).items())
    sizes = "\n".join(f"- `{p.name}`: {p.stat().st_size / 1024:.0f} KB" for p in sorted(folder.iterdir())
                      if p.is_file() and p.name != "CARD.md")
    text = (f"# {title}\n\n{body.strip()}\n\n## Training data (read from ../shared/data, not shipped)\n{data}\n\n"
            f"## Files\n{sizes}\n\n## Figures of this build (from meta.json)\n```json\n{figures}\n```\n")
    (folder / "CARD.md").write_text(text, encoding="utf-8")


def artifact_header(name: str, nlp, seed: int, version: str = "1.0.0") -> dict:
    """The provenance every model's meta.json opens with: which artifact, built when, with what
    seed and on which base spaCy model (features depend on its parse)."""
    return {"name": name, "format": FORMAT_VERSION, "version": version, "date": date.today().isoformat(),
            "seed": seed, "base_model": nlp.meta.get("name"), "base_model_version": nlp.meta.get("version")}


def finish_artifact(folder: Path, title: str, card: str, meta: dict, load) -> None:
    """Write meta.json and CARD.md for a trained model, then reload it with ``load``."""
    # meta.json first: the card lists the folder's files with their sizes
    (folder / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    write_card(folder, title, card, meta)
    # a reload through the public loader proves the artifact is usable as shipped
    load(folder)
