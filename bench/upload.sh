#!/usr/bin/env bash
# End-to-end upload figures of the real service on its embedded defaults (SQLite, local files), with the
# JVM's default heap settings, driven by curl:
#   1. median POST /v1/images latency of one photo (default: the 12 MP S7 Edge photo), one client;
#   2. uploads per second with 1, 2 and 4 concurrent clients (each client its own owner, so no dedup);
#   3. peak RSS of the service process after 8 concurrent uploads.
#   With --formats, instead: the median POST latency with presets made in ["jpeg"] and in ["jpeg", "webp"], on
#   two services started side by side and uploaded to in turn (A, B, A, B...), so that both see the same load.
# Usage: bench/upload.sh [--formats] [photo] [rounds]
set -euo pipefail
compare_formats=false
if [ "${1:-}" = --formats ]; then compare_formats=true; shift; fi
root="$(cd "$(dirname "$0")/.." && pwd)"
photo="$(realpath "${1:-$root/src/test/resources/corpus/photos/samsung-sm-g935l-galaxy-s7-edge.jpg}")"
rounds="${2:-25}"
cd "$root"
[ -f target/imgedge.jar ] || mvn -q -B package -DskipTests

work=$(mktemp -d)
if $compare_formats; then
  free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
  pids=()
  trap 'kill "${pids[@]}" 2>/dev/null; rm -rf "$work"' EXIT
  start_with() { # name, formats as JSON; sets started_port (not a $(...) call: the pid must reach the trap)
    local p; p=$(free_port)
    echo "{\"presets\": {\"small\": {\"box\": 400, \"formats\": $2}, \"medium\": {\"box\": 1000, \"formats\": $2}}}" > "$work/$1.json"
    IMGEDGE_HTTP_PORT=$p IMGEDGE_STORAGE_DIR="$work/$1" \
      IMGEDGE_AUTH_KEYS='[{"key":"bench-client-key-0000001","subject":"c1","role":"client"}]' \
      java -jar target/imgedge.jar -conf "$work/$1.json" > "$work/$1.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 1 120); do curl -fs -o /dev/null "localhost:$p/health/ready" && break; sleep 0.25; done
    started_port=$p
  }
  one() { # port; prints seconds
    local out
    out=$(curl -s -H "Authorization: Bearer bench-client-key-0000001" -H 'Content-Type: image/jpeg' \
      --data-binary @"$photo" -w '\n%{http_code} %{time_total}' "localhost:$1/v1/images")
    [ "$(echo "$out" | tail -1 | cut -d' ' -f1)" = 201 ] || { echo "upload failed: $out" >&2; exit 1; }
    curl -s -o /dev/null -X DELETE -H "Authorization: Bearer bench-client-key-0000001" \
      "localhost:$1/v1/images/$(echo "$out" | head -1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
    echo "$out" | tail -1 | cut -d' ' -f2
  }
  start_with jpeg '["jpeg"]'; a=$started_port
  start_with webp '["jpeg", "webp"]'; b=$started_port
  for _ in 1 2 3 4 5; do one "$a" > /dev/null; one "$b" > /dev/null; done   # JIT warm-up
  ta=(); tb=()
  for _ in $(seq 1 "$rounds"); do ta+=("$(one "$a")"); tb+=("$(one "$b")"); done
  med() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {printf "%.0f", 1000*a[int((NR+1)/2)]}'; }
  ma=$(med "${ta[@]}"); mb=$(med "${tb[@]}")
  echo "photo: $(basename "$photo"), $rounds uploads to each, in turn; $(nproc) cores"
  echo "| presets' formats | POST /v1/images median (ms) |"
  echo "|---|---:|"
  echo "| [\"jpeg\"] | $ma |"
  echo "| [\"jpeg\", \"webp\"] | $mb ($(python3 -c "print(f'{$mb/$ma:.2f}')")x) |"
  exit 0
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
keys='['; for i in 1 2 3 4 5 6 7 8; do keys+="{\"key\":\"bench-client-key-000000$i\",\"subject\":\"c$i\",\"role\":\"client\"},"; done
keys="${keys%,}]"
IMGEDGE_HTTP_PORT=$port IMGEDGE_STORAGE_DIR="$work/data" IMGEDGE_AUTH_KEYS="$keys" \
  java -jar target/imgedge.jar > "$work/service.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do curl -fs -o /dev/null "localhost:$port/health/ready" && break; sleep 0.25; done

# upload then delete, so the same bytes are processed every time; prints curl's total time in seconds
upload_once() { # client
  local out id
  out=$(curl -s -H "Authorization: Bearer bench-client-key-000000$1" -H 'Content-Type: image/jpeg' \
    --data-binary @"$photo" -w '\n%{http_code} %{time_total}' "localhost:$port/v1/images")
  [ "$(echo "$out" | tail -1 | cut -d' ' -f1)" = 201 ] || { echo "upload failed: $out" >&2; exit 1; }
  id=$(echo "$out" | head -1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  curl -s -o /dev/null -X DELETE -H "Authorization: Bearer bench-client-key-000000$1" "localhost:$port/v1/images/$id"
  echo "$out" | tail -1 | cut -d' ' -f2
}
export -f upload_once; export photo port

for _ in 1 2 3 4 5; do upload_once 1 > /dev/null; done   # JIT warm-up
times=$(for _ in $(seq 1 "$rounds"); do upload_once 1; done)
median=$(echo "$times" | sort -n | awk '{a[NR]=$1} END {printf "%.0f", 1000*a[int((NR+1)/2)]}')
p90=$(echo "$times" | sort -n | awk '{a[NR]=$1} END {printf "%.0f", 1000*a[int(NR*0.9+0.5)]}')

throughput() { # clients, uploads per client
  local start end
  local clients=() start end
  start=$(date +%s.%N)
  for c in $(seq 1 "$1"); do (for _ in $(seq 1 "$2"); do upload_once "$c" > /dev/null; done) & clients+=($!); done
  wait "${clients[@]}"   # not a bare wait: the service itself is a background job of this script
  end=$(date +%s.%N)
  python3 -c "print(f'{$1*$2/($end-$start):.1f}')"
}
t1=$(throughput 1 12); t2=$(throughput 2 12); t4=$(throughput 4 12)

eight=()
for c in 1 2 3 4 5 6 7 8; do upload_once "$c" > /dev/null & eight+=($!); done
wait "${eight[@]}"
rss=$(awk '/VmHWM/ {printf "%.0f", $2/1024}' /proc/$pid/status)

echo
echo "photo: $(basename "$photo") ($(stat -c %s "$photo") bytes), $(nproc) cores, default JVM heap settings"
echo "| measure | value |"
echo "|---|---:|"
echo "| POST /v1/images latency, median of $rounds (ms) | $median |"
echo "| POST /v1/images latency, p90 (ms) | $p90 |"
echo "| uploads/s, 1 client | $t1 |"
echo "| uploads/s, 2 clients | $t2 ($(python3 -c "print(f'{$t2/$t1:.2f}')")x) |"
echo "| uploads/s, 4 clients | $t4 ($(python3 -c "print(f'{$t4/$t1:.2f}')")x) |"
echo "| peak RSS after 8 concurrent uploads (MB) | $rss |"
