#!/usr/bin/env bash
# Grid: in headless Chromium, navigation to a 1,000,000-row table until its first rows are painted,
# and the scrollbar set to the middle until the rows there (ids near 500,000) are painted.
# Baseline, same run: the same records requests (offset 0 and the middle, 100 rows) fetched from the
# page, so the ratio says what the UI adds. Targets: <= 1 s and <= 300 ms.
# Rowan runs from the jar with ROWAN_JAVA_OPTS (default -Xmx256m -XX:+UseSerialGC); the table is
# loaded through Rowan's import API into a new database on the built-in server, or into the
# database at GRID_DB_URL (postgres://…) when given.
# Environment: RUNS (default 7; run 1 starts with an empty browser cache), ROWS (default 1000000),
# JAVA, JAR, GRID_DB_URL, CHROMIUM (default /usr/bin/chromium).
set -euo pipefail
JAR="${JAR:-target/rowan.jar}"
JAVA="${JAVA:-java}"
RUNS="${RUNS:-7}"
ROWS="${ROWS:-1000000}"
ROWAN_JAVA_OPTS="${ROWAN_JAVA_OPTS:--Xmx256m -XX:+UseSerialGC}"
USERNAME=bench
PASSWORD='bench password 123'

[ -d e2e/node_modules/playwright-core ] || (cd e2e && npm ci --no-audit --no-fund)

dir=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
base="http://localhost:$port"
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$dir"
}
trap cleanup EXIT

# shellcheck disable=SC2086  # the options are words
ROWAN_ADMIN_USERNAME=$USERNAME ROWAN_ADMIN_PASSWORD=$PASSWORD \
  "$JAVA" $ROWAN_JAVA_OPTS -jar "$JAR" --data-dir "$dir/data" --http-port "$port" >"$dir/rowan.log" 2>&1 &
pid=$!
for _ in $(seq 600); do
  curl -fs -o /dev/null "$base/health/ready" && break
  kill -0 "$pid" 2>/dev/null || { echo "Rowan exited:"; cat "$dir/rowan.log"; exit 1; }
  sleep 0.1
done
curl -fs -o /dev/null "$base/health/ready" || { echo "Rowan is not ready after 60 s"; exit 1; }

csrf=$(curl -fs -c "$dir/cookies" -H 'Content-Type: application/json' \
  -d "{\"username\":\"$USERNAME\",\"password\":\"$PASSWORD\"}" "$base/api/v1/auth/login" | sed -E 's/.*"csrfToken":"([^"]+)".*/\1/')
api() { curl -fsS -b "$dir/cookies" -H "X-CSRF-Token: $csrf" "$@"; }
json_number() { sed -E "s/.*\"$1\":([0-9]+).*/\\1/"; }

if [ -n "${GRID_DB_URL:-}" ]; then
  echo "connecting $GRID_DB_URL…"
  db=$(api -H 'Content-Type: application/json' -d "{\"name\":\"Grid bench\",\"url\":\"$GRID_DB_URL\"}" "$base/api/v1/databases" | json_number id)
else
  echo "creating a database on the built-in server…"
  db=$(api --max-time 600 -H 'Content-Type: application/json' -d '{"name":"Grid bench","builtin":true}' "$base/api/v1/databases" | json_number id)
fi

echo "importing $ROWS rows…"
awk -v n="$ROWS" 'BEGIN {
  print "name,quantity,price,active,born,note"
  for (i = 1; i <= n; i++)
    printf "name %d,%d,%d.%02d,%s,%04d-%02d-%02d,note %d\n", i, (i * 7919) % 1000, (i * 104729) % 1000, i % 100,
      (i % 3 == 0 ? "true" : "false"), 1970 + i % 50, 1 + i % 12, 1 + i % 28, i
}' >"$dir/items.csv"
table_name="items_$(date +%s)"
import=$(api -F "file=@$dir/items.csv" -F schema=public -F "table=$table_name" "$base/api/v1/databases/$db/imports" | json_number id)
while :; do
  job=$(api "$base/api/v1/databases/$db/imports/$import")
  case "$job" in
    *'"state":"done"'*) break ;;
    *'"state":"failed"'*) echo "the import failed: $job"; exit 1 ;;
  esac
  sleep 0.5
done
table=$(echo "$job" | json_number tableOid)
rm -f "$dir/items.csv"

echo "runs: $RUNS ($("$JAVA" -version 2>&1 | head -1); $("${CHROMIUM:-/usr/bin/chromium}" --version 2>/dev/null || echo chromium))"
node e2e/grid-bench.mjs "$base" "$USERNAME" "$PASSWORD" "$db" "$table" "$ROWS" "$RUNS"
