"""Issue 9's acceptance check: `claimgraph spark extract` in local[2] produces the same records
as `claimgraph extract` on the demo corpus repeated to N documents (default 2,000).

    .venv/bin/python bench/scale_check.py [--docs 2000] [--partitions 4]

Prints the number of records on each side, how many differ, and the first differing doc_id.
Exit status 1 when any record differs. Too slow for `make test` (two full passes over the
corpus); tests/test_spark.py checks the same equality on the 14-article corpus.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale import BIN, _env, build_corpus  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--partitions", type=int, default=4)
    args = parser.parse_args()
    import pyarrow.dataset as ds

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpus = tmp / "corpus.jsonl"
        build_corpus(corpus, args.docs)
        started = time.monotonic()
        subprocess.run([str(BIN / "claimgraph"), "extract", str(corpus), "--jobs", "2", "-q",
                        "-o", str(tmp / "local.jsonl")], check=True, env=_env())
        local_s = time.monotonic() - started
        started = time.monotonic()
        subprocess.run([str(BIN / "claimgraph"), "spark", "extract", str(corpus), str(tmp / "spark"),
                        "--master", "local[2]", "--partitions", str(args.partitions)],
                       check=True, env=_env(), stdout=subprocess.DEVNULL)
        spark_s = time.monotonic() - started
        local = {r["doc_id"]: r for r in map(json.loads, (tmp / "local.jsonl").read_text("utf-8").splitlines())}
        table = ds.dataset(tmp / "spark" / "records", format="parquet", partitioning="hive").to_table(columns=["record"])
        spark = {r["doc_id"]: r for r in map(json.loads, table.column("record").to_pylist())}
    differ = sorted(d for d in set(local) | set(spark) if local.get(d) != spark.get(d))
    print(f"documents: {args.docs}  local records: {len(local)}  spark records: {len(spark)}  "
          f"differing: {len(differ)}{'  first: ' + differ[0] if differ else ''}")
    print(f"extract --jobs 2: {local_s:.0f} s   spark local[2]: {spark_s:.0f} s (start-up included)")
    return 1 if differ or len(local) != args.docs else 0


if __name__ == "__main__":
    sys.exit(main())
