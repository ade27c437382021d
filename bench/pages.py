"""Workbench page latency on a 2,000-document store.

    .venv/bin/python bench/pages.py                       # build the store, serve it, measure
    .venv/bin/python bench/pages.py --docs 2000 --requests 60 --concurrency 4 --json

The store is the demo corpus's records repeated under new ids (and publication dates shifted
a few days per copy) until it holds ``--docs`` documents: records are extracted once (or
read from ``--source-db``) and copied, never re-parsed. ``claimgraph serve`` then runs it on
loopback and a small load generator (``--concurrency`` keep-alive connections) requests each
page once cold (the server's result cache empty for it), then ``--requests`` times. Reported
per page: the server's own time to first byte (the ``Server-Timing`` header the app sets)
for the cold request, and median and p95 over the timed ones (which the cache serves until
the database changes), and the client-side wall time. Target: p95 under 300 ms.
"""
from __future__ import annotations

import argparse
import copy
import http.client
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "examples" / "corpus" / "articles.jsonl"
TARGET_MS = 300.0


def demo_records(source_db: str | None) -> list[dict]:
    from claimgraph.store import Store

    if source_db is None:
        tmp = Path(tempfile.mkdtemp(prefix="cg-bench-")) / "demo.db"
        subprocess.run([sys.executable, "-m", "claimgraph.cli.main", "ingest", str(CORPUS),
                        "--db", str(tmp), "-q"], check=True)
        source_db = str(tmp)
    with Store(source_db, readonly=True) as store:
        return list(store.iter_records())


def shifted(value: str | None, days: int) -> str | None:
    try:
        return (date.fromisoformat(value) + timedelta(days=days)).isoformat() if value else value
    except ValueError:
        return value


def copy_record(record: dict, n: int) -> dict:
    """Copy ``n`` of a record: new doc and claim ids, dates shifted ``n % 60`` days so the
    copies spread over two months instead of piling onto the same propositions."""
    out = copy.deepcopy(record)
    old, new = record["doc_id"], f"{record['doc_id']}-c{n:04d}"
    days = n % 60
    out["doc_id"] = new
    out["published"] = shifted(record.get("published"), days)
    for claim in out.get("claims") or []:
        if isinstance(claim.get("id"), str) and claim["id"].startswith(old + ":"):
            claim["id"] = new + claim["id"][len(old):]
        event = claim.get("event") or {}
        if isinstance(event.get("date"), dict) and event["date"].get("precision") == "day":
            event["date"]["value"] = shifted(event["date"].get("value"), days)
    return out


def build_store(path: Path, docs: int, source_db: str | None) -> float:
    from claimgraph.store import Store

    records = demo_records(source_db)
    started = time.perf_counter()
    with Store(path) as store:
        with store.writer(batch_size=200) as writer:
            n = 0
            while n < docs:
                for record in records:
                    if n >= docs:
                        break
                    writer.add(record if n < len(records) else copy_record(record, n // len(records)))
                    n += 1
    return time.perf_counter() - started


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(conn: http.client.HTTPConnection, path: str) -> tuple[int, float, float]:
    started = time.perf_counter()
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    wall = (time.perf_counter() - started) * 1000
    timing = response.getheader("server-timing") or ""
    server = float(timing.split("dur=")[1]) if "dur=" in timing else float("nan")
    return response.status, server, wall


def pages(port: int) -> dict[str, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def api(path):
        conn.request("GET", path)
        return json.loads(conn.getresponse().read())

    disputed = api("/api/propositions?disputed=true&actor=PRK&type=AID&limit=50")["items"]
    prop = next((p for p in disputed if [a["id"] for a in p["target"]] == ["PSE-HAMAS"]),
                disputed[0] if disputed else None)
    doc = api("/api/documents?text=NIS&limit=1")["items"][0]["id"]
    conn.close()
    out = {
        "home /": "/",
        "search (text)": "/search?q=Hamas",
        "search (text + facets)": "/search?q=weapons&actor=PRK&stance=deny",
        "actor PRK": "/actors/PRK",
        "actor PRK depth 2": "/actors/PRK?depth=2",
        "document": "/documents/" + urllib.parse.quote(doc, safe=""),
        "propositions (disputed)": "/propositions?disputed=true",
        "actors list": "/actors",
        "documents list": "/documents",
        "api claims": "/api/claims?actor=PRK&type=AID",
        "api network PRK": "/api/network?actor=PRK",
    }
    if prop:
        out["proposition PRK→Hamas"] = "/propositions/" + urllib.parse.quote(prop["id"], safe="")
    return out


def measure(port: int, path: str, requests: int, concurrency: int) -> dict:
    results: list[tuple[int, float, float]] = []
    lock = threading.Lock()
    per_worker = max(1, requests // concurrency)

    cold = fetch(http.client.HTTPConnection("127.0.0.1", port, timeout=60), path)

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for _ in range(per_worker):
            result = fetch(conn, path)
            with lock:
                results.append(result)
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    statuses = sorted({r[0] for r in results})
    server = sorted(r[1] for r in results)
    wall = sorted(r[2] for r in results)

    def p95(values):
        return values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]

    return {"path": path, "requests": len(results), "statuses": statuses,
            "cold_server_ms": round(cold[1], 1),
            "server_median_ms": round(statistics.median(server), 1),
            "server_p95_ms": round(p95(server), 1),
            "wall_median_ms": round(statistics.median(wall), 1), "wall_p95_ms": round(p95(wall), 1)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=2000, help="documents in the store")
    parser.add_argument("--requests", type=int, default=40, help="timed requests per page")
    parser.add_argument("--concurrency", type=int, default=4, help="concurrent connections")
    parser.add_argument("--db", help="use (or build, if missing) this store instead of a temp file")
    parser.add_argument("--source-db", help="take the records to repeat from this store "
                                            "instead of extracting the demo corpus")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)

    db = Path(args.db) if args.db else Path(tempfile.mkdtemp(prefix="cg-bench-")) / "pages.db"
    built = None
    if not db.exists():
        built = build_store(db, args.docs, args.source_db)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "claimgraph.cli.main", "serve", "--db", str(db),
                               "--port", str(port), "--log-level", "warning"])
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("the server did not start")
                time.sleep(0.2)
        from claimgraph.store import Store

        with Store(db, readonly=True) as store:
            counts = store.table_counts()
        rows = {name: measure(port, path, args.requests, args.concurrency)
                for name, path in pages(port).items()}
    finally:
        server.terminate()
        server.wait(timeout=10)
    report = {"documents": counts["documents"], "claims": counts["claims"],
              "store_build_s": round(built, 1) if built is not None else None,
              "concurrency": args.concurrency, "target_ms": TARGET_MS, "pages": rows}
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"{counts['documents']} documents, {counts['claims']} claims; "
              f"{args.concurrency} connections, {args.requests} requests per page")
        print(f"{'page':<26} {'cold':>10} {'server median':>13} {'server p95':>11} "
              f"{'wall median':>12} {'wall p95':>9}  status")
        for name, r in rows.items():
            flag = "" if r["server_p95_ms"] < TARGET_MS else "  OVER TARGET"
            print(f"{name:<26} {r['cold_server_ms']:>7.1f} ms {r['server_median_ms']:>10.1f} ms {r['server_p95_ms']:>8.1f} ms "
                  f"{r['wall_median_ms']:>9.1f} ms {r['wall_p95_ms']:>6.1f} ms  "
                  f"{','.join(map(str, r['statuses']))}{flag}")
    slow = [n for n, r in rows.items() if r["server_p95_ms"] >= TARGET_MS or r["statuses"] != [200]]
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
