"""Build src/claimgraph/nlp/lexicons/events_cameo.tsv, the PLOVER -> nearest CAMEO table.

Source: cameo2plover_2021.json from openeventdata/PLOVER (MIT licence), which maps each CAMEO
code to a PLOVER event, modes and contexts. We ship only the derived reverse table (one row per
CAMEO code: code, PLOVER type, mode, contexts), not the source file.

    .venv/bin/python scripts/build_events_cameo.py ../shared/data/events/cameo2plover_2021.json
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src/claimgraph/nlp/lexicons/events_cameo.tsv"


def main(src: str) -> None:
    table = json.loads(Path(src).read_text("utf-8"))
    lines = [
        "# PLOVER (type, mode, context) -> CAMEO code, reversed from cameo2plover_2021.json",
        "# (openeventdata/PLOVER, MIT licence) by scripts/build_events_cameo.py. The events",
        "# component picks, within the CAMEO root its trigger gives, the code whose mode and",
        "# context best match the event's.",
        "#cameo\ttype\tmode\tcontext\tdescription",
    ]
    for code, row in sorted(table.items()):
        lines.append("\t".join([code, row["plover_event"], ",".join(row["mode"]) or "-",
                                ",".join(row["context"]) or "-", row.get("cameo_desc") or "-"]))
    OUT.write_text("\n".join(lines) + "\n", "utf-8")
    print(f"wrote {OUT} ({len(table)} codes)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/events/cameo2plover_2021.json")
