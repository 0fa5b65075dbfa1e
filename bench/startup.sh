#!/usr/bin/env bash
# Startup: time from `java -jar rowan.jar` (zero configuration, fresh SQLite data directory) until
# GET /health/ready answers 200, and the process's resident memory right after.
# Baseline, same run: the bare JVM starting and exiting (`java -version`).
# Targets on a 2-core machine: ready <= 1500 ms, RSS <= 150 MB.
set -euo pipefail
JAR="${JAR:-target/rowan.jar}"
RUNS="${RUNS:-5}"
JAVA="${JAVA:-java}"
now_ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }

base=(); ready=(); rss=()
for i in $(seq "$RUNS"); do
  t0=$(now_ms); "$JAVA" -version >/dev/null 2>&1; t1=$(now_ms); base+=($((t1 - t0)))

  dir=$(mktemp -d); port=$((20000 + RANDOM % 20000))
  t0=$(now_ms)
  "$JAVA" -jar "$JAR" --data-dir "$dir/data" --http-port "$port" >"$dir/out.log" 2>&1 &
  pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$port/health/ready"; do
    if ! kill -0 "$pid" 2>/dev/null; then echo "Rowan exited:"; cat "$dir/out.log"; exit 1; fi
    if [ $(( $(now_ms) - t0 )) -gt 30000 ]; then echo "not ready after 30 s"; kill "$pid"; exit 1; fi
    sleep 0.01
  done
  t1=$(now_ms); ready+=($((t1 - t0)))
  rss+=($(awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status"))
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
done

b=$(printf '%s\n' "${base[@]}" | median)
r=$(printf '%s\n' "${ready[@]}" | median)
m=$(printf '%s\n' "${rss[@]}" | median)
echo "runs:                       $RUNS ($("$JAVA" -version 2>&1 | head -1))"
echo "bare JVM start (baseline):  ${b} ms   [${base[*]}]"
echo "start to /health/ready 200: ${r} ms   [${ready[*]}]   target <= 1500 ms"
echo "ratio to bare JVM:          $(awk -v r="$r" -v b="$b" 'BEGIN {printf "%.1f", r / b}')x"
echo "RSS after ready:            ${m} MB   [${rss[*]}]   target <= 150 MB"
