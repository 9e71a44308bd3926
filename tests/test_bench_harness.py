"""`make bench` (tests/bench/scale.py) at a tiny scale, on the suite's database (SQLite, or
PostgreSQL in make test's second run): every figure of its table is measured. Whether the
goals are met is for `make bench` at full scale to say (docs/performance.md); here a figure
the harness can no longer measure fails."""

import subprocess
import sys
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def test_make_bench_measures_every_figure():
    database = "postgresql" if connection.vendor == "postgresql" else "sqlite"
    command = [sys.executable, "-m", "tests.bench.scale", "--databases", database]
    command += ["--learners", "60", "--responses", "2000", "--seconds", "0.5"]
    command += ["--load-seconds", "3", "--learner-attempts", "5"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    rows = [line for line in done.stdout.splitlines() if line.startswith("| ")]
    name = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[database]
    assert rows[0] == f"| figure | goal | {name} | met |"
    assert len(rows) == 2 + 13, done.stdout
    assert not [row for row in rows if "not measured" in row], done.stdout
    answered = next(row for row in rows if row.startswith("| … errors"))
    assert "; 0 of 0" not in answered, "the learners answered nothing"
    assert "no ETag" not in done.stdout, "the term page answers conditional GETs"
