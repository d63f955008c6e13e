# Shared by run.sh and the scenario files: dependencies, the service under test, wrk runs and results.
# Sourced, not run. Expects LT_DIR (this folder's parent) and ROOT (the project root) to be set.
# shellcheck shell=bash

SERVICE_CPU=${SERVICE_CPU:-0}      # the core the service (and nginx) may use
LOAD_CPU=${LOAD_CPU:-1}            # the core wrk, curl and the helpers use
DURATION=${DURATION:-10}           # seconds per measured wrk run
WARMUP=${WARMUP:-5}                # seconds of unrecorded load before each measured run (JIT, caches)
CONNECTIONS=${CONNECTIONS:-64}     # wrk connections, as in the nginx reference figures
PACED_RATE=${PACED_RATE:-2000}     # requests/s of the latency-focused (paced, below saturation) runs
JIT_WARMUP=${JIT_WARMUP:-15}       # seconds of mixed load after the uploads, before any measured scenario
IDLE_SETTLE=${IDLE_SETTLE:-20}     # seconds of unrecorded load once the idle connections are open
IDLE_ROUNDS=${IDLE_ROUNDS:-3}      # runs in a row without, with the control's, with the service's idle connections
IDLE_CYCLES=${IDLE_CYCLES:-2}      # times those three alternate; the report takes the medians of all their runs
NGINX_ROUNDS=${NGINX_ROUNDS:-3}    # back-to-back comparisons with nginx; the report takes their median

CORPUS="$ROOT/src/test/resources/corpus"
CLIENT_KEY=loadtest-client-key-0001   # keys of the throw-away service the scripts start, nothing else
WORKER_KEY=loadtest-worker-key-0001
BURST_KEY=loadtest-burst-key-00001    # another owner: burst uploads never enter the phone's list and grid
AUTH_KEYS='[{"key":"'$CLIENT_KEY'","subject":"phone","role":"client"},{"key":"'$WORKER_KEY'","subject":"ai","role":"worker"},'\
'{"key":"'$BURST_KEY'","subject":"uploader","role":"client"}]'
PG_DATABASE=imgedge_load

log() { printf '\033[1m== %s\033[0m\n' "$*" >&2; }
die() { printf 'load-tests: %s\n' "$*" >&2; exit 1; }

# --- cleanup: every resource registers how to undo itself; one EXIT trap undoes all, newest first ---
CLEANUPS=()
on_exit() { CLEANUPS+=("$1"); }
run_cleanups() {
  local i
  for ((i = ${#CLEANUPS[@]} - 1; i >= 0; i--)); do eval "${CLEANUPS[i]}" || true; done
  CLEANUPS=()
}
trap run_cleanups EXIT
trap 'exit 130' INT TERM

# --- dependencies ---------------------------------------------------------------------------------
install_deps() {
  # Java, Maven, PostgreSQL (started, trust auth on 127.0.0.1): the project's own idempotent installer
  "$ROOT/.ci/install-deps"
  local need=()
  command -v wrk >/dev/null || need+=(wrk)
  command -v nginx >/dev/null || need+=(nginx-light)
  command -v curl >/dev/null || need+=(curl)
  command -v python3 >/dev/null || need+=(python3)
  command -v taskset >/dev/null || need+=(util-linux)
  command -v tc >/dev/null || need+=(iproute2)
  if [ ${#need[@]} -gt 0 ]; then
    log "installing ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
  fi
}

# 10,000 idle connections need as many descriptors in the service and in the helper: raise the soft limit
# to 65536, or to the hard limit where that is lower (containers often cap it)
raise_open_files() {
  local want=65536 hard
  hard=$(ulimit -Hn)
  if [ "$hard" != unlimited ] && [ "$hard" -lt $want ]; then want=$hard; fi
  ulimit -n "$want"
}

# --- the service under test -----------------------------------------------------------------------
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

build_jar() {
  # rebuilt when missing or older than any source, so a run never measures yesterday's code
  if [ ! -f "$ROOT/target/imgedge.jar" ] || [ -n "$(find "$ROOT/src/main" "$ROOT/pom.xml" -newer "$ROOT/target/imgedge.jar" -print -quit)" ]; then
    log "building target/imgedge.jar"
    (cd "$ROOT" && mvn -B -q -DskipTests package)
  fi
}

fresh_pg_database() {
  PGOPTIONS=--client-min-messages=warning psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $PG_DATABASE WITH (FORCE)" \
    -c "CREATE DATABASE $PG_DATABASE" >/dev/null
}

# start_service postgres|sqlite: one service process pinned to SERVICE_CPU, fresh storage and database.
# Sets SERVICE_PID, SERVICE_PORT, BASE_URL and BACKEND.
start_service() {
  BACKEND=$1
  SERVICE_PORT=$(free_port)
  BASE_URL="http://127.0.0.1:$SERVICE_PORT"
  local data="$WORK/data-$BACKEND"
  rm -rf "$data"
  local config=(IMGEDGE_HTTP_HOST=127.0.0.1 IMGEDGE_HTTP_PORT="$SERVICE_PORT" IMGEDGE_STORAGE_DIR="$data"
    IMGEDGE_AUTH_KEYS="$AUTH_KEYS")
  if [[ " $FORMAT " == *" avif "* ]]; then
    # AVIF is opt-in: asked for, it is made in the background after each upload (see seed_images)
    config+=(IMGEDGE_PRESETS='{"small": {"box": 400, "formats": ["jpeg", "webp", "avif"]}, "medium": {"box": 1000, "formats": ["jpeg", "webp", "avif"]}}'
      IMGEDGE_REGENERATION_CHECK_SECONDS=1)
  fi
  if [ "$BACKEND" = postgres ]; then
    fresh_pg_database
    config+=(IMGEDGE_DATABASE_URL="postgresql://postgres@127.0.0.1:5432/$PG_DATABASE")
  fi
  log "starting the service ($BACKEND) on core $SERVICE_CPU, port $SERVICE_PORT"
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of JVM flags on purpose
  env "${config[@]}" taskset -c "$SERVICE_CPU" java ${JAVA_OPTS:-} -jar "$ROOT/target/imgedge.jar" \
    >>"$WORK/service-$BACKEND.log" 2>&1 &
  SERVICE_PID=$!
  on_exit "stop_service $SERVICE_PID"
  local deadline=$((SECONDS + 90))
  until curl -fs -o /dev/null "$BASE_URL/health/ready"; do
    kill -0 "$SERVICE_PID" 2>/dev/null || { tail -n 20 "$WORK/service-$BACKEND.log" >&2; die "the service did not start"; }
    [ $SECONDS -lt $deadline ] || die "the service was not ready within 90 s"
    sleep 0.2
  done
}

stop_service() { # pid
  kill "$1" 2>/dev/null || return 0
  wait "$1" 2>/dev/null || true
}

# --- test images ------------------------------------------------------------------------------------
# A JPEG with a comment segment right after SOI: still the same picture, but new bytes (a new SHA-256),
# so the service stores it as a new image instead of answering the earlier upload again.
distinct_jpeg() { # file tag
  local length=$((${#2} + 2)) # the segment's length field counts its own two bytes
  local high low
  printf -v high '\\x%02x' $((length >> 8))
  printf -v low '\\x%02x' $((length & 255))
  printf '\xff\xd8\xff\xfe%b%b%s' "$high" "$low" "$2"
  tail -c +3 "$1"
}

upload() { # file-or-dash -> Image JSON on stdout
  curl -fsS -H "Authorization: Bearer $CLIENT_KEY" -H 'Content-Type: image/jpeg' --data-binary @"$1" "$BASE_URL/v1/images"
}

# seed_images: 54 orientation pictures (the 18 of the corpus, each also twice made distinct), then the 6
# phone photos, so a list of 50 is full and the newest 6 (the top of the app's grid) are real photos.
# Writes photos.jsonl (the photos' Image JSON) and request files for wrk under $WORK/req/.
seed_images() {
  log "uploading test images ($BACKEND)"
  local f copy
  for copy in 0 1 2; do
    for f in "$CORPUS"/orientation/*.jpg; do
      if [ $copy = 0 ]; then upload "$f"; else distinct_jpeg "$f" "load-test copy $copy" | upload -; fi >/dev/null
    done
  done
  : >"$WORK/photos.jsonl"
  for f in "$CORPUS"/photos/*.jpg; do
    upload "$f" >>"$WORK/photos.jsonl"
    echo >>"$WORK/photos.jsonl"
  done
  if [[ " $FORMAT " == *" avif "* ]]; then
    wait_for_avif
  fi
  curl -fsS -H "Authorization: Bearer $CLIENT_KEY" "$BASE_URL/v1/images?limit=200" >"$WORK/list.json"
  write_request_files
}

# wait_for_avif: the AVIF variants are made by the regeneration after the uploads' 201; the run waits
# until every listed image has them (at most 10 minutes), then reads the photos' Image JSON again.
wait_for_avif() {
  log "waiting for the background AVIF variants"
  local deadline=$((SECONDS + 600)) id
  until curl -fsS -H "Authorization: Bearer $CLIENT_KEY" "$BASE_URL/v1/images?limit=200" | python3 -c '
import json, sys
items = json.load(sys.stdin)["items"]
sys.exit(0 if all("avif" in v.get("formats", {}) for i in items for v in i["variants"].values()) else 1)'; do
    [ $SECONDS -lt $deadline ] || die "the AVIF variants were not all made within 10 minutes"
    sleep 2
  done
  : >"$WORK/photos-avif.jsonl"
  while read -r id; do
    curl -fsS -H "Authorization: Bearer $CLIENT_KEY" "$BASE_URL/v1/images/$id" >>"$WORK/photos-avif.jsonl"
    echo >>"$WORK/photos-avif.jsonl"
  done < <(python3 -c 'import json, sys; [print(json.loads(l)["id"]) for l in open(sys.argv[1]) if l.strip()]' "$WORK/photos.jsonl")
  mv "$WORK/photos-avif.jsonl" "$WORK/photos.jsonl"
}

# wrk request files: one request per line, "PATH<TAB>Header: value..." (see lib/requests.lua)
write_request_files() {
  local req="$WORK/req"
  mkdir -p "$req"
  python3 - "$WORK" "$CLIENT_KEY" "$FORMAT" <<'EOF'
import json, sys
work, key, formats = sys.argv[1], sys.argv[2], sys.argv[3].split()
auth = "Authorization: Bearer " + key
photos = [json.loads(l) for l in open(f"{work}/photos.jsonl") if l.strip()]
items = json.load(open(f"{work}/list.json"))["items"]
def write(name, lines):
    with open(f"{work}/req/{name}", "w") as f:
        f.write("".join(l + "\n" for l in lines))
# the phone photos' variants: what the app shows, and sizes like the nginx reference files
write("small", [p["variants"]["small"]["url"] for p in photos])
write("medium", [p["variants"]["medium"]["url"] for p in photos])
# the same variants as WebP (variants.<preset>.formats.webp), for the nginx comparison of .webp serving
if "webp" in formats:
    def webp(p, preset):
        entry = p["variants"][preset].get("formats", {}).get("webp")
        if entry is None:
            sys.exit(f"FORMAT has webp, but the {preset} variant has no webp format: add it to presets.{preset}.formats")
        return entry["url"]
    write("small-webp", [webp(p, "small") for p in photos])
    write("medium-webp", [webp(p, "medium") for p in photos])
# the by-name URLs a CDN revalidates (no ?v=)
write("small-by-name", [p["variants"]["small"]["url"].split("?")[0] for p in photos])
write("list", ["/v1/images?limit=50\t" + auth])
# opening the app: the list, the 30 thumbnails of the grid, the first one's detail image
grid = items[:30]
write("open-app", ["/v1/images?limit=30\t" + auth] + [i["variants"]["small"]["url"] for i in grid]
      + [grid[0]["variants"]["medium"]["url"]])
sizes = lambda ps, v: sum(p["variants"][v]["bytes"] for p in ps) // len(ps)
print(f"{len(items)} images; photos' small variants {sizes(photos, 'small')} bytes on average, "
      f"medium {sizes(photos, 'medium')}", file=sys.stderr)
EOF
  # revalidation: the same by-name URLs with the ETag the service gave for each
  local path etag
  : >"$req/revalidate"
  while read -r path; do
    etag=$(curl -fsS -o /dev/null -D - "$BASE_URL$path" | tr -d '\r' | awk -F': ' 'tolower($1) == "etag" {print $2}')
    [ "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$BASE_URL$path")" = 304 ] \
      || die "If-None-Match $etag on $path did not answer 304"
    printf '%s\tIf-None-Match: %s\n' "$path" "$etag" >>"$req/revalidate"
  done <"$req/small-by-name"
}

# warm_up_service: the JIT compiles the serving paths under a mix of every request the scenarios make,
# so the first scenario of a run is not measured on a cold JVM
warm_up_service() {
  [ "$JIT_WARMUP" -gt 0 ] || return 0
  log "warming the service up for $JIT_WARMUP s"
  cat "$WORK/req/open-app" "$WORK/req/revalidate" "$WORK/req/medium" >"$WORK/req/warm-up"
  taskset -c "$LOAD_CPU" wrk -t1 -c"$CONNECTIONS" -d"${JIT_WARMUP}s" --timeout 10s -s "$LT_DIR/lib/requests.lua" \
    "$BASE_URL" -- "$WORK/req/warm-up" 0 >/dev/null
}

# --- wrk runs -----------------------------------------------------------------------------------------
# measure KEY LABEL URL REQUEST_FILE [RATE]: one unrecorded warm-up, then one recorded wrk run pinned to
# LOAD_CPU. With RATE, each connection pauses so the whole load stays near RATE requests/s (paced,
# latency-focused); without it, wrk goes as fast as the server answers (saturation, throughput-focused).
# Appends the result (JSON) to results.jsonl and prints one line.
measure() {
  local key=$1 label=$2 url=$3 requests=$4 rate=${5:-} pause=0
  if [ -n "$rate" ]; then pause=$(((CONNECTIONS * 1000 + rate / 2) / rate)); fi
  local wrk=(taskset -c "$LOAD_CPU" wrk -t1 -c"$CONNECTIONS" --timeout 10s -s "$LT_DIR/lib/requests.lua")
  if [ "$WARMUP" -gt 0 ]; then "${wrk[@]}" -d"${WARMUP}s" "$url" -- "$requests" "$pause" >/dev/null; fi
  local out="$RUN_DIR/wrk/$key.txt"
  mkdir -p "$RUN_DIR/wrk"
  local command="${wrk[*]} -d${DURATION}s $url -- $requests $pause"
  # shellcheck disable=SC2016 # a literal $WORK: the report is about the load, not about this machine's folders
  command=${command//"$WORK"/'$WORK'}
  echo "${command//"$ROOT/"/}" >>"$RUN_DIR/commands.txt"
  "${wrk[@]}" -d"${DURATION}s" "$url" -- "$requests" "$pause" >"$out"
  local result
  result=$(sed -n 's/^@@result //p' "$out")
  [ -n "$result" ] || die "wrk printed no result for $key (see $out)"
  python3 - "$key" "$label" "$rate" "$CONNECTIONS" "$result" >>"$RUN_DIR/results.jsonl" <<'EOF'
import json, sys
key, label, rate, connections, result = sys.argv[1:]
r = json.loads(result)
r.update(key=key, label=label, rate=int(rate) if rate else None, connections=int(connections))
print(json.dumps(r))
EOF
  python3 - "$result" "$label" <<'EOF' >&2
import json, sys
r = json.loads(sys.argv[1])
e = sum(r["errors"].values())
print(f"   {sys.argv[2]:<44} {r['rps']:>9.0f} req/s  p50 {r['p50']/1000:6.2f}  p90 {r['p90']/1000:6.2f}  "
      f"p99 {r['p99']/1000:6.2f}  p99.9 {r['p999']/1000:6.2f} ms  {r['bytes']//max(r['requests'],1)} B/resp"
      + (f"  ERRORS {r['errors']}" if e else ""))
EOF
}

# note SCENARIO TEXT: a line of prose for the report (how many idle connections stayed open, ...)
note() {
  python3 -c 'import json,sys; print(json.dumps({"kind": "note", "scenario": sys.argv[1], "text": sys.argv[2]}))' "$1" "$2" \
    >>"$RUN_DIR/results.jsonl"
  log "$2"
}
