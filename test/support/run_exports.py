"""Runs exported pandas modules for the export tests, several in one Python process.

Usage: python run_exports.py JOBS.json
JOBS.json: [{"script": path, "input_dir": dir, "output_dir": dir, "parquet": {...} | null}, ...]
Prints one JSON line: [{"ok": true} | {"ok": false, "error": text}, ...] in job order.

TEST-ENVIRONMENT WORKAROUND (Parquet): the Python on the test machine has pandas but not pyarrow,
so pandas cannot read or write Parquet. A job's "parquet" map stands in for it: pd.read_parquet
reads the CSV copy the test made of each Parquet input (with DuckDB, parsing the TIMESTAMP columns
it names, so the frame has the types pyarrow would give), and DataFrame.to_parquet writes CSV to
"<path>.csv". The exported code itself calls the real pd.read_parquet / to_parquet.
"""
import json
import os
import runpy
import sys
import traceback

import pandas as pd

_real_read_parquet = pd.read_parquet
_real_to_parquet = pd.DataFrame.to_parquet


def _install_parquet_shim(mapping):
    def read_parquet(path, *args, **kwargs):
        entry = mapping[os.path.abspath(str(path))]
        return pd.read_csv(entry["csv"], parse_dates=entry["dates"], keep_default_na=False, na_values=[""])

    def to_parquet(self, path, *args, **kwargs):
        self.to_csv(str(path) + ".csv", index=False, lineterminator="\n")

    pd.read_parquet = read_parquet
    pd.DataFrame.to_parquet = to_parquet


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        jobs = json.load(f)
    results = []
    for job in jobs:
        pd.read_parquet = _real_read_parquet
        pd.DataFrame.to_parquet = _real_to_parquet
        if job.get("parquet"):
            _install_parquet_shim(job["parquet"])
        argv = sys.argv
        try:
            sys.argv = [job["script"], "--input-dir", job["input_dir"], "--output-dir", job["output_dir"]]
            runpy.run_path(job["script"], run_name="__main__")
            results.append({"ok": True})
        except BaseException:  # noqa: BLE001 - report every failure, including SystemExit
            results.append({"ok": False, "error": traceback.format_exc()})
        finally:
            sys.argv = argv
    print(json.dumps(results))


if __name__ == "__main__":
    main()
