#!/usr/bin/env python3
"""The questions of questions.sql, run by Apache Spark over a `scapkit export --format parquet` directory.

    pip install pyspark            # and a Java 17 runtime (Debian: openjdk-17-jre-headless)
    python3 fleet.py FLEET_DIR [--master local[2]] [--from TS --to TS] [--json OUT]

On a laptop `local[2]`; on a cluster, `--master yarn` (or spark-submit) and a FLEET_DIR on shared storage
(s3a://…, hdfs://…): the hive layout (host=…/date=…) is read as partitions.
"""
import argparse
import json
import os
import re
import sys

from pyspark.sql import SparkSession

TABLES = ("events", "processes", "connections", "files")


def questions(path):
    """(name, sql) pairs from questions.sql."""
    text = open(path, encoding="utf-8").read()
    out = []
    for block in re.split(r"^-- name: ", text, flags=re.M)[1:]:
        name, _, body = block.partition("\n")
        sql = "\n".join(l for l in body.splitlines() if not l.startswith("--")).strip().rstrip(";")
        out.append((name.strip(), sql))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("fleet")
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--from", dest="start", default="1970-01-01 00:00:00")
    ap.add_argument("--to", dest="end", default="2100-01-01 00:00:00")
    ap.add_argument("--json", help="write the answers here as JSON")
    a = ap.parse_args()
    spark = (
        SparkSession.builder.master(a.master)
        .appName("scapkit fleet questions")
        .config("spark.sql.session.timeZone", "UTC")
        # ts is TIMESTAMP(NANOS) in the files: Spark reads it as a long unless told otherwise.
        .config("spark.sql.legacy.parquet.nanosAsLong", "false")
        .getOrCreate()
    )
    for t in TABLES:
        path = os.path.join(a.fleet, t)
        if os.path.isdir(path):
            spark.read.option("basePath", path).parquet(path).createOrReplaceTempView(t)
    answers = {}
    here = os.path.dirname(os.path.abspath(__file__))
    for name, sql in questions(os.path.join(here, "questions.sql")):
        sql = sql.replace("${FROM}", f"TIMESTAMP '{a.start}'").replace("${TO}", f"TIMESTAMP '{a.end}'")
        rows = [[None if v is None else str(v) for v in r] for r in spark.sql(sql).collect()]
        answers[name] = rows
        print(f"== {name}")
        for r in rows:
            print("  " + " | ".join("" if v is None else v for v in r))
    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump(answers, f)
    spark.stop()


if __name__ == "__main__":
    sys.exit(main())
