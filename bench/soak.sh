#!/usr/bin/env bash
# Soak: Rowan from the jar under mixed load for SOAK_SECONDS (default 600) — 16 clients on 16 connections
# reading pages (sorted, filtered), inserting records, exporting CSV and importing small files, on a database
# on Rowan's built-in PostgreSQL server and one on a throwaway server from the Debian packages (PG_BIN; as
# root it runs as postgres). At a third of the time every process of the built-in server is killed (SIGKILL),
# at two thirds the Debian server is restarted (pg_ctl restart -m fast). Prints requests served, errors by
# kind, how long each database took to serve again, acknowledged writes lost (must be 0), 500 answers (must
# be 0) and Rowan's RSS after warm-up and at the end (must be flat). Exits 1 when a write was lost, a request
# got a 500 or an error that is not a problem document, a database never came back or Rowan died. Not part
# of `mvn verify`.
set -euo pipefail
JAR="${JAR:-target/rowan.jar}"
JAVA="${JAVA:-java}"
SOAK_SECONDS="${SOAK_SECONDS:-600}"
PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
[ -x "$PG_BIN/pg_ctl" ] || { echo "no PostgreSQL server binaries in '$PG_BIN' (apt-get install postgresql, or set PG_BIN)"; exit 1; }
mvn -B -q test-compile -DskipWeb
# The JVM options Rowan's install channels start it with (see records.sh): memory is judged as installed.
ROWAN_JAVA_OPTS="${ROWAN_JAVA_OPTS:--Xmx256m -XX:+UseSerialGC}"
exec "$JAVA" -Dbench.seconds="$SOAK_SECONDS" -Dbench.pgBin="$PG_BIN" -Dbench.rowanJavaOpts="$ROWAN_JAVA_OPTS" \
  -cp "target/test-classes:$JAR" dev.rowan.bench.SoakBench "$JAR"
