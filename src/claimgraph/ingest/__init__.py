"""Readers that turn files and streams into :class:`Document` objects. No NLP here.

``iter_documents(paths, input_format="auto", published=None, outlet=None, settings=None)``
is the entry point; the per-format helpers are public for callers that already hold the
content (the API receiving an HTML body, a Spark job reading JSONL lines)."""
from .dates import normalise_date, parse_user_date
from .detect import FORMATS, detect_format, sniff_format
from .document import Document, content_id
from .html import extract_html, html_to_text
from .reader import iter_documents

__all__ = [
    "Document", "content_id", "iter_documents", "FORMATS", "detect_format", "sniff_format",
    "extract_html", "html_to_text", "normalise_date", "parse_user_date",
]
