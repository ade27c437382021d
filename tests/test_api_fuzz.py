"""Property-based fuzzing of the API from its own OpenAPI description: whatever the
parameters and bodies, no response is a server error. Bounded to a few seconds per
operation so it runs in `make test`."""
from __future__ import annotations

import pytest

pytest.importorskip("fastapi")
schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402

from claimgraph.api import create_app  # noqa: E402
from claimgraph.store import Store  # noqa: E402

DOCS = [
    ("wire-1", "Wire desk", "2023-11-02",
     [{"speaker": "KOR-NIS", "type": "AID", "source": ["PRK"], "target": ["PSE-HAMAS"],
       "date": "2023-11-01"},
      {"speaker": "PRK", "stance": "deny", "type": "AID", "source": ["PRK"], "target": ["PSE-HAMAS"]}]),
    ("kcna-1", "KCNA", "2023-11-04",
     [{"speaker": "PRK-KCNA", "type": "ACCUSE", "source": ["PRK"], "target": ["USA"]},
      {"speaker": None, "type": "AID", "source": ["PRK"], "target": ["RUS"], "date": "2023-10"}]),
]
NAMES = {"PRK": "North Korea", "PSE-HAMAS": "Hamas", "KOR-NIS": "NIS", "PRK-KCNA": "KCNA",
         "USA": "United States", "RUS": "Russia"}


@pytest.fixture(scope="module")
def api_app(tmp_path_factory, make_record, nlp):
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.db"
    with Store(path) as store:
        store.write_records([make_record(doc_id, *claims, outlet=outlet, published=published,
                                         names=NAMES)
                             for doc_id, outlet, published, claims in DOCS], strict=True)
    app = create_app(path)
    # POST runs the real pipeline on whatever text the fuzzer sends; share the session's.
    app.state.cg._nlp = nlp
    return app


@pytest.fixture(scope="module")
def api_schema(api_app):
    return schemathesis.openapi.from_asgi("/openapi.json", api_app)


def operations():
    # schemathesis's own pytest plugin does not load under this pytest; its strategies
    # drive hypothesis directly instead, one bounded run per operation.
    return [("GET", p) for p in ("/api/health", "/api/stats", "/api/documents",
                                 "/api/documents/{doc_id}", "/api/actors", "/api/actors/{actor}",
                                 "/api/actors/{actor}/timeline", "/api/actors/{actor}/network",
                                 "/api/claims", "/api/propositions", "/api/propositions/{prop_id}",
                                 "/api/network", "/api/timeline", "/api/search")] + [
        ("POST", "/api/documents")]


def test_every_operation_is_fuzzed(api_schema):
    described = {(method.upper(), path) for path, methods in
                 api_schema.raw_schema["paths"].items() for method in methods}
    assert described == set(operations())


@pytest.mark.slow
@pytest.mark.parametrize("method, path", operations())
def test_no_server_errors(api_schema, method, path):
    operation = api_schema[path][method]

    @given(case=operation.as_strategy())
    @settings(max_examples=25 if method == "GET" else 15, deadline=None, derandomize=True,
              database=None, suppress_health_check=list(HealthCheck))
    def run(case):
        response = case.call()
        case.validate_response(response, checks=[not_a_server_error])
        if response.status_code >= 400:
            # Every refusal says why, with a code.
            error = response.json()["error"]
            assert error["code"].startswith("CG") and error["message"], response.text

    run()
