#!/usr/bin/env bash
# Import: a 1,000,000-row CSV with 8 mixed columns (integer, text, email, numeric, boolean, date,
# timestamp, text with commas, quotes and line breaks) imported through Rowan's API — from the POST
# until the import's state is done: upload, detection, type inference, COPY, primary key, ANALYZE —
# versus psql's \copy of the same file into a table of the same shape (Rowan's table: LIKE ...
# INCLUDING ALL), on the same PostgreSQL server, in the same run. Target on 2 cores: <= 1.5x \copy.
# EMAIL=text makes the email column plain text (it is then not inferred as Rowan's email type, whose
# check dominates both figures otherwise).
# PostgreSQL: a throwaway server from the Debian packages (PG_BIN), trusting local connections.
set -euo pipefail
JAR="${JAR:-target/rowan.jar}"
JAVA="${JAVA:-java}"
RUNS="${RUNS:-3}"
ROWS="${ROWS:-1000000}"
EMAIL="${EMAIL:-email}"
PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
now_ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }
json_field() { sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p" | head -1; }

work=$(mktemp -d)
chmod 755 "$work"
pg_port=$((20000 + RANDOM % 20000))
rowan_port=$((pg_port + 1))
as_postgres=()
[ "$(id -u)" = 0 ] && as_postgres=(runuser -u postgres --)
rowan_pid=""
cleanup() {
  [ -n "$rowan_pid" ] && kill "$rowan_pid" 2>/dev/null && wait "$rowan_pid" 2>/dev/null || true
  "${as_postgres[@]}" "$PG_BIN/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "generating $ROWS rows ..."
awk -v rows="$ROWS" -v at="$([ "$EMAIL" = text ] && echo " at " || echo "@")" 'BEGIN {
  srand(42);
  print "ref,name,email,amount,active,day,at,note";
  for (i = 1; i <= rows; i++) {
    note = (i % 10 == 0) ? "\"has, a comma and \"\"quotes\"\"\"" : (i % 97 == 0 ? "\"two\nlines\"" : "plain note " i);
    printf "%d,Customer %d,user%d%sexample.org,%.2f,%s,2024-%02d-%02d,2024-%02d-%02d %02d:%02d:%02d,%s\n",
      i, i, i, at, rand() * 10000, (i % 3 ? "true" : "false"), 1 + i % 12, 1 + i % 28, 1 + i % 12, 1 + i % 28, i % 24, i % 60, (i * 7) % 60, note;
  }
}' > "$work/data.csv"
size=$(stat -c %s "$work/data.csv")
echo "file: $work/data.csv, $((size / 1024 / 1024)) MiB"

mkdir "$work/pg" && chown -R postgres "$work/pg" 2>/dev/null || true
"${as_postgres[@]}" "$PG_BIN/initdb" -D "$work/pg" -A trust -U postgres >/dev/null
"${as_postgres[@]}" "$PG_BIN/pg_ctl" -D "$work/pg" -l "$work/pg/log" -o "-p $pg_port -k $work/pg -c listen_addresses=127.0.0.1" -w start >/dev/null
psql_() { psql -X -q -h 127.0.0.1 -p "$pg_port" -U postgres "$@"; }
psql_ -d postgres -c "CREATE DATABASE bench"

"$JAVA" -jar "$JAR" --data-dir "$work/rowan" --http-port "$rowan_port" >"$work/rowan.log" 2>&1 &
rowan_pid=$!
base="http://127.0.0.1:$rowan_port"
until curl -fs -o /dev/null "$base/health/ready"; do
  kill -0 "$rowan_pid" 2>/dev/null || { echo "Rowan exited:"; cat "$work/rowan.log"; exit 1; }
  sleep 0.1
done
token=$(grep -o 'setup?token=[A-Za-z0-9_-]*' "$work/rowan.log" | head -1 | cut -d= -f2)
curl -fs -c "$work/cookies" -H 'Content-Type: application/json' -o "$work/setup.json" \
  -d "{\"token\":\"$token\",\"username\":\"admin\",\"password\":\"bench password 1\"}" "$base/api/v1/setup"
csrf=$(json_field csrfToken < "$work/setup.json")
api() { curl -fs -b "$work/cookies" -H "X-CSRF-Token: $csrf" "$@"; }
db=$(api -H 'Content-Type: application/json' -d "{\"name\":\"bench\",\"url\":\"postgres://postgres@127.0.0.1:$pg_port/bench\"}" \
  "$base/api/v1/databases" | json_field id)

rowan=(); copy=()
for run in $(seq "$RUNS"); do
  t0=$(now_ms)
  id=$(api -F "file=@$work/data.csv" -F schema=public -F "table=rowan_$run" "$base/api/v1/databases/$db/imports" | json_field id)
  posted=$(( $(now_ms) - t0 ))
  while :; do
    api "$base/api/v1/databases/$db/imports/$id" > "$work/job.json"
    state=$(json_field state < "$work/job.json")
    [ "$state" != running ] && break
    sleep 0.05
  done
  t1=$(now_ms)
  [ "$state" = done ] || { echo "import $id: $state"; cat "$work/job.json"; exit 1; }
  rowan+=($((t1 - t0)))
  rss=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$rowan_pid/status")

  # The same table shape: Rowan's columns and types (its email type included), identity key and primary key.
  psql_ -d bench -c "CREATE TABLE copy_$run (LIKE rowan_$run INCLUDING ALL)"
  t0=$(now_ms)
  psql_ -d bench -c "\\copy copy_$run (ref, name, email, amount, active, day, at, note) FROM '$work/data.csv' WITH (FORMAT csv, HEADER true)"
  t1=$(now_ms)
  copy+=($((t1 - t0)))
  loaded=$(psql_ -d bench -At -c "SELECT (SELECT count(*) FROM rowan_$run) || ' ' || (SELECT count(*) FROM copy_$run)")
  [ "$loaded" = "$ROWS $ROWS" ] || { echo "row counts differ: $loaded"; exit 1; }
  echo "run $run: Rowan ${rowan[-1]} ms (POST answered after ${posted} ms; $(grep -o "Import $id done in .* statistics)" "$work/rowan.log")), \\copy ${copy[-1]} ms, Rowan RSS ${rss} MB"
  psql_ -d bench -c "DROP TABLE rowan_$run, copy_$run"
done

r=$(printf '%s\n' "${rowan[@]}" | median)
c=$(printf '%s\n' "${copy[@]}" | median)
echo "rows, columns:                 $ROWS, 8 ($((size / 1024 / 1024)) MiB; PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}'), $("$JAVA" -version 2>&1 | head -1))"
echo "column types (Rowan inferred): $(grep -o '"columns":\[[^]]*\]' "$work/job.json" | sed 's/"name":\([^,]*\),"type":/\1 /g; s/[{}"]//g; s/columns:\[//; s/\]//; s/,/, /g')"
echo "psql \\copy (baseline):         ${c} ms   [${copy[*]}]"
echo "Rowan import, POST to done:    ${r} ms   [${rowan[*]}]"
echo "ratio:                         $(awk -v r="$r" -v c="$c" 'BEGIN {printf "%.2f", r / c}')x   target <= 1.5x"
