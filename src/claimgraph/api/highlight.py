"""Overlapping annotations over a text → flat segments a template can render.

Annotations nest and overlap freely (a claim's content holds actor mentions, two claims
share a sentence), which HTML elements cannot. So the text is cut at every annotation
boundary and each piece carries the set of annotations covering it; the template renders
one ``<span>`` per piece with classes for the kinds and the annotation refs for hovering.
Text stays text: escaping is left to Jinja's autoescape.
"""
from __future__ import annotations

from dataclasses import dataclass, field

# Drawing order of the kinds in class lists (and the legend).
KINDS = ("content", "source", "cue", "actor", "event", "framing")


@dataclass
class Segment:
    text: str
    kinds: list[str] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)


def _valid(span, length: int) -> tuple[int, int] | None:
    if not isinstance(span, (list, tuple)) or len(span) != 2:
        return None
    start, end = span
    if not isinstance(start, int) or not isinstance(end, int):
        return None
    start, end = max(0, start), min(length, end)
    return (start, end) if start < end else None


def segments(text: str, annotations: list[tuple[object, str, str]]) -> list[Segment]:
    """``annotations``: (span, kind, ref). Bad or empty spans are ignored."""
    length = len(text)
    spans = []
    for span, kind, ref in annotations:
        valid = _valid(span, length)
        if valid:
            spans.append((valid[0], valid[1], kind, ref))
    cuts = sorted({0, length, *(s for s, _, _, _ in spans), *(e for _, e, _, _ in spans)})
    # Sweep: starts and ends by position, so each piece costs only the annotations active on it.
    starts: dict[int, list] = {}
    ends: dict[int, list] = {}
    for item in spans:
        starts.setdefault(item[0], []).append(item)
        ends.setdefault(item[1], []).append(item)
    active: dict[tuple, int] = {}
    out: list[Segment] = []
    for left, right in zip(cuts, cuts[1:]):
        for item in ends.get(left, ()):
            key = (item[2], item[3])
            active[key] -= 1
            if not active[key]:
                del active[key]
        for item in starts.get(left, ()):
            key = (item[2], item[3])
            active[key] = active.get(key, 0) + 1
        kinds = sorted({k for k, _ in active}, key=lambda k: KINDS.index(k) if k in KINDS else 99)
        refs = list(dict.fromkeys(r for _, r in sorted(active)))
        out.append(Segment(text[left:right], kinds, refs))
    return out


def record_annotations(record: dict) -> list[tuple[object, str, str]]:
    """Every span of an OUTPUT.md record worth marking in its text."""
    out = []
    for actor in record.get("actors") or []:
        for mention in actor.get("mentions") or []:
            if isinstance(mention, dict):
                mention = [mention.get("start"), mention.get("end")]
            out.append((mention, "actor", f"a:{actor.get('id')}"))
    for index, claim in enumerate(record.get("claims") or []):
        ref = f"c:{index}"
        spans = claim.get("content_spans") or [claim.get("content_span")]
        for span in spans:
            out.append((span, "content", ref))
        if claim.get("speaker") is not None or claim.get("source_span"):
            out.append((claim.get("source_span"), "source", ref))
        out.append((claim.get("cue_span"), "cue", ref))
        event = claim.get("event") or {}
        out.append((event.get("trigger_span"), "event", ref))
        for f, term in enumerate(claim.get("framing") or []):
            if isinstance(term, dict):
                out.append((term.get("span"), "framing", f"f:{index}:{f}"))
    return out


def sentence_segments(sentence: str, spans: dict) -> list[Segment]:
    """A claim's sentence with its source, cue and content (and event trigger) marked."""
    return segments(sentence, [(span, kind if kind != "trigger" else "event", kind)
                               for kind, span in spans.items()])
