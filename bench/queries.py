"""Time every query of claimgraph.query on a 2,000-document store (not a test).

The store is the demo corpus repeated: each stored record of examples/corpus is copied with a
new document id, a publication date shifted by whole days and its event dates shifted alike,
so no re-parsing is needed (records are what the store reads). Copies keep their text, so
every repeat is a near-duplicate of its original: the worst case for copy clusters.

    .venv/bin/python bench/queries.py                 # ingests the corpus first (~30 s)
    .venv/bin/python bench/queries.py --from claimgraph.db --docs 2000 --out /tmp/bench.db

Prints one line per query with its median time over --repeat runs; exits 1 if any query
takes 1 s or more.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from claimgraph import query as q
from claimgraph.store import Store

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "examples" / "corpus" / "articles.jsonl"
LIMIT_S = 1.0


def shift(value: str | None, days: int) -> str | None:
    if not value:
        return value
    try:
        if len(value) == 10:
            return (date.fromisoformat(value) + timedelta(days=days)).isoformat()
        if len(value) == 7:
            y, m = int(value[:4]), int(value[5:7]) + days // 30
            y, m = y + (m - 1) // 12, (m - 1) % 12 + 1
            return f"{y:04d}-{m:02d}"
    except ValueError:
        pass
    return value


def repeat(record: dict, n: int, days: int) -> dict:
    out = json.loads(json.dumps(record))
    old = record["doc_id"]
    new = f"{old}-r{n:04d}"
    out["doc_id"] = new
    out["published"] = shift(record.get("published"), days)
    for claim in out.get("claims") or []:
        if isinstance(claim.get("id"), str) and claim["id"].startswith(old + ":"):
            claim["id"] = new + claim["id"][len(old):]
        event = claim.get("event") or {}
        if isinstance(event.get("date"), dict):
            event["date"]["value"] = shift(event["date"].get("value"), days)
    return out


def build(source: Path, target: Path, docs: int) -> float:
    with Store(source, readonly=True) as src:
        base = list(src.iter_records())
    if target.exists():
        target.unlink()
    started = time.perf_counter()
    with Store(target) as store:
        store.write_records((repeat(base[i % len(base)], i, 7 * (i // len(base)))
                             for i in range(docs)), batch_size=200)
    return time.perf_counter() - started


def timed(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="source", type=Path, default=None,
                        help="a store holding the demo corpus (default: ingest it into a temp file)")
    parser.add_argument("--out", type=Path, default=None, help="where to build the big store")
    parser.add_argument("--docs", type=int, default=2000, help="documents in the big store")
    parser.add_argument("--repeat", type=int, default=3, help="runs per query (median)")
    parser.add_argument("--reuse", action="store_true",
                        help="time the queries on an existing --out store without rebuilding it")
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="claimgraph-bench-"))
    target = args.out or tmp / "bench.db"
    build_s = None
    if not (args.reuse and target.is_file()):
        source = args.source
        if source is None:
            source = tmp / "demo.db"
            subprocess.run([str(Path(sys.executable).parent / "claimgraph"), "ingest", str(CORPUS),
                            "--db", str(source), "--quiet"], check=True)
        build_s = build(source, target, args.docs)

    with Store(target, readonly=True) as store:
        stats = store.stats()
        n_props = store.query("SELECT count(*) AS n FROM propositions")[0]["n"]
        print(f"store: {stats['documents']} documents, {stats['claims']} claims, "
              f"{stats['events']} events, {n_props} propositions"
              + (f"; built (with propositions and copy clusters) in {build_s:.1f}s"
                 if build_s is not None else " (reused)"))
        some_prop = q.propositions(store, disputed=True, limit=1)["items"]
        prop_id = some_prop[0]["id"] if some_prop else q.propositions(store, limit=1)["items"][0]["id"]
        doc_id = store.document_ids()[len(store.document_ids()) // 2]
        cases = [
            ("resolve_actor('North Korea')", lambda: q.resolve_actor(store, "North Korea")),
            ("claims()", lambda: q.claims(store)),
            ("claims(speaker=KOR-NIS)", lambda: q.claims(store, speaker="KOR-NIS")),
            ("claims(source=PRK, target=PSE-HAMAS)", lambda: q.claims(store, source="PRK", target="PSE-HAMAS")),
            ("claims(actor=PRK)", lambda: q.claims(store, actor="PRK")),
            ("claims(type=AID, stance=deny)", lambda: q.claims(store, type="AID", stance="deny")),
            ("claims(since, until)", lambda: q.claims(store, since="2024-01", until="2024-06-30")),
            ("claims(text='artillery shells')", lambda: q.claims(store, text="artillery shells")),
            ("claims(outlet=KCNA, offset=500)", lambda: q.claims(store, outlet="KCNA", offset=100)),
            ("claims(proposition=…)", lambda: q.claims(store, proposition=prop_id)),
            ("propositions()", lambda: q.propositions(store)),
            ("propositions(disputed)", lambda: q.propositions(store, disputed=True)),
            ("propositions(actor=PRK, type=AID)", lambda: q.propositions(store, actor="PRK", type="AID")),
            ("proposition(id)", lambda: q.proposition(store, prop_id)),
            ("actor_profile(PRK)", lambda: q.actor_profile(store, "PRK")),
            ("timeline(PRK)", lambda: q.timeline(store, "PRK")),
            ("network()", lambda: q.network(store)),
            ("network(PRK, depth=2)", lambda: q.network(store, actor="PRK", depth=2)),
            ("network(type=ASSAULT, since)", lambda: q.network(store, type="ASSAULT", since="2024")),
            ("network_json(network(PRK))", lambda: q.network_json(q.network(store, actor="PRK"))),
            ("documents(text=Hamas)", lambda: q.documents(store, text="Hamas")),
            ("documents(actor=PRK)", lambda: q.documents(store, actor="PRK")),
            ("document(id)", lambda: q.document(store, doc_id)),
            ("search('weapons Hamas')", lambda: q.search(store, "weapons Hamas")),
            ("search('North Korea')", lambda: q.search(store, "North Korea")),
        ]
        slow = 0
        for name, fn in cases:
            seconds, result = timed(fn, args.repeat)
            if isinstance(result, dict) and "total" in result:
                size = f"total={result['total']}"
            elif isinstance(result, list):
                size = f"items={len(result)}"
            elif hasattr(result, "number_of_edges"):
                size = f"nodes={result.number_of_nodes()} edges={result.number_of_edges()}"
            else:
                size = ""
            flag = "ok" if seconds < LIMIT_S else "SLOW"
            slow += seconds >= LIMIT_S
            print(f"{flag:4} {seconds * 1000:8.1f} ms  {name:40} {size}")
    print(f"{len(cases) - slow}/{len(cases)} queries under {LIMIT_S:.0f} s")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
