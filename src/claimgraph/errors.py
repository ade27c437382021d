"""Every error claimgraph raises, each with a stable code.

Library code raises these; the CLI turns one into a single line ``CODE message`` on
stderr and a non-zero exit, and batch loops log a document's error with its id and go on.
Codes are grouped by layer so a user can tell at a glance where a problem lives:
1xx input, 2xx model/pipeline, 3xx store, 4xx knowledge base, 5xx queries/API,
6xx evaluation, 7xx scale (Spark), 8xx configuration.
"""
from __future__ import annotations


class ClaimgraphError(Exception):
    """Base class: ``code`` is stable across releases, the message may change."""

    code = "CG000"

    def __init__(self, message: str, *, where: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.where = where
        if code:
            self.code = code

    def one_line(self) -> str:
        where = f"{self.where}: " if self.where else ""
        return f"{self.code} {where}{self.message}".replace("\n", " ")

    def as_dict(self) -> dict:
        return {"code": self.code, "where": self.where, "message": self.message}


# -- input (ingest) -----------------------------------------------------------------------
class InputError(ClaimgraphError):
    code = "CG100"


class EmptyDocument(InputError):
    code = "CG101"


class BinaryInput(InputError):
    code = "CG102"


class InvalidEncoding(InputError):
    code = "CG103"


class DocumentTooLong(InputError):
    code = "CG104"


class MalformedRecord(InputError):
    """A JSONL line that is not JSON, a CSV row that cannot be read."""

    code = "CG105"


class MissingText(InputError):
    code = "CG106"


class UnknownFormat(InputError):
    code = "CG107"


class NoTextExtracted(InputError):
    """HTML, feed or WARC input in which no article text was found."""

    code = "CG108"


class InputNotFound(InputError):
    code = "CG109"


class FeedError(InputError):
    code = "CG110"


class WarcError(InputError):
    code = "CG111"


class BadDate(InputError):
    code = "CG112"


# -- model and pipeline ---------------------------------------------------------------------
class PipelineError(ClaimgraphError):
    code = "CG200"


class ModelNotInstalled(PipelineError):
    code = "CG201"


class ProcessingFailed(PipelineError):
    """A document crashed a pipeline component; it is skipped, the batch goes on."""

    code = "CG202"


class ModelArtifactMissing(PipelineError):
    """A learned model's artifact (src/claimgraph/models/<name>/) is absent: the rules run alone."""

    code = "CG203"


class ModelArtifactInvalid(PipelineError):
    """A learned model's artifact exists but cannot be read (corrupt, other format version)."""

    code = "CG204"


# -- store ------------------------------------------------------------------------------------
class StoreError(ClaimgraphError):
    code = "CG300"


class SchemaTooNew(StoreError):
    code = "CG301"


class DatabaseNotFound(StoreError):
    code = "CG302"


class RecordInvalid(StoreError):
    code = "CG303"


# -- knowledge base ----------------------------------------------------------------------
class KnowledgeBaseError(ClaimgraphError):
    code = "CG400"


class KBFileInvalid(KnowledgeBaseError):
    code = "CG401"


class UnknownActor(KnowledgeBaseError):
    code = "CG402"


# -- queries and API ------------------------------------------------------------------------
class QueryError(ClaimgraphError):
    code = "CG500"


class BadQueryParameter(QueryError):
    code = "CG501"


class NotFound(QueryError):
    code = "CG502"


class Unauthorized(QueryError):
    code = "CG503"


class PayloadTooLarge(QueryError):
    code = "CG504"


# -- evaluation -----------------------------------------------------------------------------
class EvaluationError(ClaimgraphError):
    code = "CG600"


class EvaluationDataMissing(EvaluationError):
    code = "CG601"


class ScoreBelowFloor(EvaluationError):
    code = "CG602"


# -- scale ----------------------------------------------------------------------------------
class ScaleError(ClaimgraphError):
    code = "CG700"


class SparkUnavailable(ScaleError):
    code = "CG701"


# -- configuration --------------------------------------------------------------------------
class ConfigError(ClaimgraphError):
    code = "CG800"
