#!/usr/bin/env bash
# What the resumable (tus) path adds to a completed upload, next to a plain POST of the same photo, on the
# loopback with the service's embedded defaults (SQLite, local files): median and p90 of N completed uploads
# each way, alternating, each image deleted again so the same bytes are processed every time.
#   tus: POST /v1/uploads (create) + PATCH of the whole photo (or CHUNK-byte PATCHes), timed from the
#        first request to the last answer, which comes once the image is recorded.
# Usage: bench/tus-overhead.sh [photo] [rounds]     (CHUNK=1048576 for 1 MiB PATCHes)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
photo="$(realpath "${1:-$root/src/test/resources/corpus/photos/apple-iphone-4s.jpg}")"
rounds="${2:-15}"
chunk="${CHUNK:-0}"
cd "$root"
[ -f target/imgedge.jar ] || mvn -q -B package -DskipTests

work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
key=bench-client-key-0000001
IMGEDGE_HTTP_PORT=$port IMGEDGE_STORAGE_DIR="$work/data" \
  IMGEDGE_AUTH_KEYS="[{\"key\":\"$key\",\"subject\":\"c1\",\"role\":\"client\"}]" \
  java -jar target/imgedge.jar > "$work/service.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do curl -fs -o /dev/null "localhost:$port/health/ready" && break; sleep 0.25; done
size=$(stat -c %s "$photo")
auth=(-H "Authorization: Bearer $key")

delete() { curl -s -o /dev/null -X DELETE "${auth[@]}" "localhost:$port/v1/images/$1"; }

post_once() { # prints ms
  local out start end
  start=$(date +%s%N)
  out=$(curl -s "${auth[@]}" -H 'Content-Type: image/jpeg' --data-binary @"$photo" -w '\n%{http_code}' "localhost:$port/v1/images")
  end=$(date +%s%N)
  [ "$(echo "$out" | tail -1)" = 201 ] || { echo "POST failed: $out" >&2; exit 1; }
  delete "$(echo "$out" | head -1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
  echo $(((end - start) / 1000000))
}

tus_once() { # prints ms
  local start end url offset=0 step headers id
  start=$(date +%s%N)
  url=$(curl -s -D - -o /dev/null "${auth[@]}" -H 'Tus-Resumable: 1.0.0' -H "Upload-Length: $size" -X POST \
    "localhost:$port/v1/uploads" | tr -d '\r' | sed -n 's/^[Ll]ocation: //p')
  step=$([ "$chunk" -gt 0 ] && echo "$chunk" || echo "$size")
  while [ "$offset" -lt "$size" ]; do
    headers=$(dd if="$photo" iflag=skip_bytes,count_bytes skip="$offset" count="$step" status=none | curl -s -D - -o /dev/null "${auth[@]}" -H 'Tus-Resumable: 1.0.0' \
      -H "Upload-Offset: $offset" -H 'Content-Type: application/offset+octet-stream' -X PATCH --data-binary @- "localhost:$port$url" | tr -d '\r')
    offset=$(echo "$headers" | sed -n 's/^[Uu]pload-[Oo]ffset: //p')
    [ -n "$offset" ] || { echo "PATCH failed: $headers" >&2; exit 1; }
  done
  end=$(date +%s%N)
  id=$(echo "$headers" | sed -n 's/^[Ii]mage-[Ii]d: //p')
  [ -n "$id" ] || { echo "no Image-Id: $headers" >&2; exit 1; }
  delete "$id"
  echo $(((end - start) / 1000000))
}

for _ in 1 2 3 4 5; do post_once > /dev/null; tus_once > /dev/null; done   # JIT warm-up
posts=(); tuses=()
for _ in $(seq 1 "$rounds"); do posts+=("$(post_once)"); tuses+=("$(tus_once)"); done
stat() { printf '%s\n' "$@" | sort -n | awk -v q="$Q" '{a[NR]=$1} END {i=int(NR*q+0.5); if (i<1) i=1; print a[i]}'; }
Q=0.5; pm=$(stat "${posts[@]}"); tm=$(stat "${tuses[@]}")
Q=0.9; p9=$(stat "${posts[@]}"); t9=$(stat "${tuses[@]}")

echo
echo "photo: $(basename "$photo") ($size bytes), $rounds rounds each, $(nproc) cores, loopback, SQLite + files; PATCH size: $([ "$chunk" -gt 0 ] && echo "$chunk bytes" || echo "the whole photo")"
echo "| measure | median (ms) | p90 (ms) |"
echo "|---|---:|---:|"
echo "| plain POST /v1/images | $pm | $p9 |"
echo "| tus: create + PATCH until the image is recorded | $tm | $t9 |"
echo "| added by tus | $((tm - pm)) | |"
