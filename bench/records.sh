#!/usr/bin/env bash
# Records: a 100-row page through Rowan's API vs the same SQL run directly over JDBC (first page,
# offset 500,000, keyset after row 500,000, sort by an unindexed column, a contains filter) on a
# 1,000,000-row table; the same page on 10 thousand vs 10 million rows; wrk throughput and RSS.
# Baseline, same run: the direct JDBC query on the same PostgreSQL. Targets (2 cores): cheap pages
# within direct + 2 ms at p50, heavy ones <= 1.3x direct; 10M/10k <= 1.5; >= 1,500 req/s, RSS <= 300 MB.
# Needs about 3 GB of disk for the 10-million-row table (BENCH_HUGE=1000000 for a quicker run).
set -euo pipefail
JAR="${JAR:-target/rowan.jar}"
JAVA="${JAVA:-java}"
command -v wrk >/dev/null || { echo "installing wrk"; apt-get install -y wrk >/dev/null; }
mvn -B -q test-compile -DskipWeb
# The JVM options Rowan's install channels start it with: without a heap limit the JVM may take a quarter
# of the machine's memory, and under load it does (about 600 MB resident here).
ROWAN_JAVA_OPTS="${ROWAN_JAVA_OPTS:--Xmx256m -XX:+UseSerialGC}"
exec "$JAVA" -Dbench.huge="${BENCH_HUGE:-10000000}" -Dbench.rowanJavaOpts="$ROWAN_JAVA_OPTS" -cp "target/test-classes:$JAR" dev.rowan.bench.RecordsBench "$JAR"
