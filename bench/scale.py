"""Throughput of `claimgraph spark extract` in local[1] and local[2] against the single-process
`claimgraph extract --jobs 2`, on the same input.

    .venv/bin/python bench/scale.py [--docs 2000] [--partitions 4] [--json]

The input is the demo corpus (examples/corpus/articles.jsonl) repeated with varied ids until
it holds --docs documents (synthetic news-like documents when the corpus is absent). Every
configuration runs in its own process with single-threaded BLAS/OpenMP, so a core does one
document stream at a time.

Figures, all in documents per second:
- end-to-end: documents / wall time of the whole command, start-up included (JVM, Spark
  session and one model load per Python worker for Spark; the model load and the worker
  processes for `extract`). What a user waits for on a run of this size.
- steady: the rate once start-up is paid. Spark: the same job run a second time in the same
  session (JVM and Python workers warm, model already loaded). `extract`: the marginal rate
  (N - n0) / (T(N) - T(n0)) from a second run on n0 documents.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "examples" / "corpus" / "articles.jsonl"
BIN = Path(sys.executable).parent
SINGLE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
                 "BLIS_NUM_THREADS": "1", "VECLIB_MAXIMUM_THREADS": "1", "NUMEXPR_NUM_THREADS": "1"}

# Run inside a fresh interpreter for each Spark master: a session, then the job twice.
SPARK_RUNNER = r"""
import json, sys, time
t0 = time.monotonic()
from claimgraph.scale.job import run_extract
from claimgraph.scale.session import SparkSessionHandle
master, corpus, out, partitions = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
with SparkSessionHandle(master=master, partitions=partitions, quiet=True) as spark:
    session = time.monotonic() - t0
    cold = run_extract([corpus], out + "/cold", spark=spark, partitions=partitions)
    warm = run_extract([corpus], out + "/warm", spark=spark, partitions=partitions)
print(json.dumps({"session_s": session, "cold_s": cold.seconds, "warm_s": warm.seconds,
                  "records": cold.records, "errors": cold.errors, "warm_records": warm.records}))
"""

SYNTHETIC = [
    "South Korea's spy agency said on Wednesday that North Korea had supplied weapons to Hamas, "
    "according to a lawmaker who attended the closed-door briefing.",
    "North Korea's foreign ministry denied the report, calling it a groundless smear campaign "
    "by the United States, the state news agency KCNA said.",
    "Israeli officials said weapons seized from militants appeared to have been made in North "
    "Korea and may have reached Gaza through Iran.",
    "The White House said North Korea had shipped more than a thousand containers of munitions "
    "to Russia since August; the Kremlin dismissed the claim.",
]


def build_corpus(path: Path, n: int) -> None:
    if DEMO.is_file():
        base = [json.loads(line) for line in DEMO.read_text(encoding="utf-8").splitlines() if line.strip()]
    else:
        base = [{"id": f"synthetic-{i}", "published": f"2023-11-0{i + 1}", "outlet": "Wire desk",
                 "text": "\n".join(SYNTHETIC[i:] + SYNTHETIC[:i])} for i in range(len(SYNTHETIC))]
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n):
            doc = dict(base[i % len(base)])
            doc["id"] = f"{doc.get('id', 'doc')}-r{i // len(base)}"
            handle.write(json.dumps(doc, ensure_ascii=False) + "\n")


def _env() -> dict:
    env = dict(os.environ)
    env.update(SINGLE_THREAD)
    return env


def run_extract_cli(corpus: Path, jobs: int) -> float:
    started = time.monotonic()
    subprocess.run([str(BIN / "claimgraph"), "extract", str(corpus), "--jobs", str(jobs), "-q",
                    "-o", os.devnull], check=True, env=_env())
    return time.monotonic() - started


def run_spark(master: str, corpus: Path, out: Path, partitions: int) -> dict:
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", SPARK_RUNNER, master, str(corpus), str(out), str(partitions)],
                          check=True, env=_env(), capture_output=True, text=True)
    wall = time.monotonic() - started
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["wall_s"] = wall
    result["end_to_end_s"] = wall - result["warm_s"]  # the cold half: what one run costs
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--small", type=int, default=56, help="n0 for extract's marginal rate")
    parser.add_argument("--partitions", type=int, default=4)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="cg-scale-") as tmp:
        tmp = Path(tmp)
        corpus, small = tmp / "corpus.jsonl", tmp / "small.jsonl"
        build_corpus(corpus, args.docs)
        build_corpus(small, args.small)
        n = args.docs
        extract_n = run_extract_cli(corpus, 2)
        extract_small = run_extract_cli(small, 2)
        spark1 = run_spark("local[1]", corpus, tmp / "l1", args.partitions)
        spark2 = run_spark("local[2]", corpus, tmp / "l2", args.partitions)

    extract_steady = (n - args.small) / max(extract_n - extract_small, 1e-9)
    rows = {
        "extract --jobs 2": {"end_to_end": n / extract_n, "steady": extract_steady,
                             "detail": f"T({n})={extract_n:.1f}s, T({args.small})={extract_small:.1f}s"},
    }
    for name, r in (("spark local[1]", spark1), ("spark local[2]", spark2)):
        rows[name] = {"end_to_end": n / r["end_to_end_s"], "steady": n / r["warm_s"],
                      "detail": f"session {r['session_s']:.1f}s, cold job {r['cold_s']:.1f}s, "
                                f"warm job {r['warm_s']:.1f}s, {r['records']} records"}
    ratios = {
        "local[2] / local[1] (end-to-end)": rows["spark local[2]"]["end_to_end"] / rows["spark local[1]"]["end_to_end"],
        "local[2] / local[1] (steady)": rows["spark local[2]"]["steady"] / rows["spark local[1]"]["steady"],
        "local[2] / extract --jobs 2 (end-to-end)": rows["spark local[2]"]["end_to_end"] / rows["extract --jobs 2"]["end_to_end"],
        "local[2] / extract --jobs 2 (steady)": rows["spark local[2]"]["steady"] / rows["extract --jobs 2"]["steady"],
    }
    report = {"docs": n, "partitions": args.partitions, "cpus": os.cpu_count(),
              "python": platform.python_version(), "rows": rows, "ratios": ratios}
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"{n} documents (demo corpus repeated), {os.cpu_count()} CPUs, {args.partitions} partitions\n")
    print("| configuration | end-to-end docs/s | steady docs/s | detail |")
    print("|---|---:|---:|---|")
    for name, row in rows.items():
        print(f"| {name} | {row['end_to_end']:.1f} | {row['steady']:.1f} | {row['detail']} |")
    print()
    for name, value in ratios.items():
        print(f"- {name}: {value:.2f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
