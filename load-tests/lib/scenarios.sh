# The scenarios of run.sh, one function each. Each expects a seeded service (start_service + seed_images)
# unless it starts its own. Sourced, not run.
# shellcheck shell=bash

IDLE_CONNECTIONS=${IDLE_CONNECTIONS:-10000}   # idle keep-alive connections held by the idle scenario
BURST_CLIENTS=${BURST_CLIENTS:-4}             # concurrent uploaders of the upload-burst scenario

scenario_small() {
  log "small: cached small variants of the 6 photos"
  measure small.saturation "small variant, saturation" "$BASE_URL" "$WORK/req/small"
  measure small.paced "small variant, paced $PACED_RATE/s" "$BASE_URL" "$WORK/req/small" "$PACED_RATE"
}

scenario_medium() {
  log "medium: cached medium variants of the 6 photos"
  measure medium.saturation "medium variant, saturation" "$BASE_URL" "$WORK/req/medium"
  measure medium.paced "medium variant, paced $PACED_RATE/s" "$BASE_URL" "$WORK/req/medium" "$PACED_RATE"
}

scenario_revalidate() {
  log "revalidate: If-None-Match on the by-name small URLs (304) against full GETs of the same URLs"
  measure revalidate.full "small by name, full GET (200)" "$BASE_URL" "$WORK/req/small-by-name"
  measure revalidate.304 "small by name, If-None-Match (304)" "$BASE_URL" "$WORK/req/revalidate"
}

scenario_list() { # backend label: the list is measured on the backend the service was started with
  log "list: GET /v1/images?limit=50 on $BACKEND"
  measure "list.$BACKEND" "list limit=50, $BACKEND, saturation" "$BASE_URL" "$WORK/req/list"
}

scenario_open_app() {
  log "open-app: 1 list (30) + 30 small + 1 medium, in that mix"
  measure open-app.saturation "open-app mix, saturation" "$BASE_URL" "$WORK/req/open-app"
  measure open-app.paced "open-app mix, paced $PACED_RATE/s" "$BASE_URL" "$WORK/req/open-app" "$PACED_RATE"
}

# Reads of small variants at a fixed, paced rate, first alone, then while BURST_CLIENTS curl loops upload
# photos (each made distinct, so every one is processed) for as long as the measured run lasts. They
# upload as another owner, so the phone's list (list, open-app, cellular) stays the same.
scenario_upload_burst() {
  log "upload-burst: paced small-variant reads without, then with, $BURST_CLIENTS concurrent uploaders"
  measure burst.without "small reads at $PACED_RATE/s, no uploads" "$BASE_URL" "$WORK/req/small" "$PACED_RATE"
  local stop="$WORK/burst.stop" statuses="$WORK/burst.statuses" pids=() client
  rm -f "$stop"
  : >"$statuses"
  for client in $(seq 1 "$BURST_CLIENTS"); do
    burst_uploader "$client" "$stop" "$statuses" &
    pids+=($!)
  done
  on_exit "touch '$stop'"
  measure burst.with "small reads at $PACED_RATE/s, $BURST_CLIENTS uploaders" "$BASE_URL" "$WORK/req/small" "$PACED_RATE"
  touch "$stop"
  wait "${pids[@]}"
  local answers
  answers=$(sort "$statuses" | uniq -c | awk '{print $2 ": " $1}' | paste -sd ';' - | sed 's/;/, /g')
  local uploads
  uploads=$(wc -l <"$statuses")
  note upload-burst "During the second run (and its warm-up, $((WARMUP + DURATION)) s in all), $BURST_CLIENTS concurrent\
 clients made $uploads uploads of 1-4 MB photos; answers by status: ${answers:-none}."
}

burst_uploader() { # client stop-file status-file
  local photos=("$CORPUS"/photos/*.jpg) i=0 tag
  while [ ! -e "$2" ] && [ $i -lt 500 ]; do
    tag="burst $1 $i $(date +%s%N)"
    distinct_jpeg "${photos[i % ${#photos[@]}]}" "$tag" |
      taskset -c "$LOAD_CPU" curl -s -o /dev/null -w '%{http_code}\n' -H "Authorization: Bearer $BURST_KEY" \
        -H 'Content-Type: image/jpeg' --data-binary @- "$BASE_URL/v1/images" >>"$3"
    i=$((i + 1))
  done
}

# Small-variant throughput without, then with IDLE_CONNECTIONS idle keep-alive connections held open,
# and in between the control: as many idle connections held by another server. The three alternate
# IDLE_CYCLES times, so a drift in the machine's speed hits all of them.
scenario_idle() {
  log "idle: small variants without, then with, $IDLE_CONNECTIONS idle keep-alive connections"
  [ "$(ulimit -n)" -gt $((IDLE_CONNECTIONS + 1000)) ] ||
    die "the open-file limit $(ulimit -n) is too low for $IDLE_CONNECTIONS idle connections (ulimit -Hn)"
  local round cycle port server settle
  port=$(free_port)
  taskset -c "$LOAD_CPU" python3 "$LT_DIR/lib/idle_server.py" "$port" >"$WORK/idle-server.out" 2>&1 &
  server=$!
  on_exit "kill $server 2>/dev/null"
  for ((cycle = 1; cycle <= IDLE_CYCLES; cycle++)); do
    for ((round = 1; round <= IDLE_ROUNDS; round++)); do
      settle=$WARMUP
      # after the service's idle connections closed: let the collections that follow pass first
      [ "$round" -gt 1 ] || [ "$cycle" -eq 1 ] || settle=$IDLE_SETTLE
      WARMUP=$settle measure "idle.without.$cycle.$round" "small variant, no idle connections, cycle $cycle, round $round" \
        "$BASE_URL" "$WORK/req/small"
    done
    idle_runs "$port" elsewhere "idle connections to another server" "$cycle"
    idle_runs "$SERVICE_PORT" with "idle connections" "$cycle"
  done
  kill "$server" 2>/dev/null || true
}

# idle_runs PORT KEY WHAT CYCLE: holds the idle connections to PORT, measures IDLE_ROUNDS runs named
# idle.KEY.CYCLE.ROUND (the first after IDLE_SETTLE s of unrecorded load), then closes them.
idle_runs() {
  local port=$1 key=$2 what=$3 cycle=$4 round settle
  hold_idle_connections "$port" "$key"
  if [ "$key" = with ] && [ "$cycle" -eq 1 ]; then
    # Right after thousands of connections open, the service's young collections copy their state (about
    # 7 KB each) a few times until it is tenured: pauses of tens of ms for some seconds. That transient is
    # recorded on its own (no warm-up), before the settling load.
    WARMUP=0 measure idle.opening "small variant, the first ${DURATION} s after they opened" "$BASE_URL" "$WORK/req/small"
  fi
  for ((round = 1; round <= IDLE_ROUNDS; round++)); do
    settle=$WARMUP
    [ "$round" -gt 1 ] || settle=$IDLE_SETTLE
    WARMUP=$settle measure "idle.$key.$cycle.$round" "small variant, $IDLE_CONNECTIONS $what, cycle $cycle, round $round" \
      "$BASE_URL" "$WORK/req/small"
  done
  release_idle_connections "$key"
}

# hold_idle_connections PORT NAME: IDLE_CONNECTIONS keep-alive connections to 127.0.0.1:PORT, each after
# one request, held by a helper on the load core until release_idle_connections NAME.
hold_idle_connections() {
  local out="$WORK/idle-$2.out" stop="$WORK/idle-$2.stop" pid deadline=$((SECONDS + 180))
  rm -f "$stop"
  taskset -c "$LOAD_CPU" java "$LT_DIR/lib/IdleConnections.java" 127.0.0.1 "$1" "$IDLE_CONNECTIONS" 600 "$stop" >"$out" 2>&1 &
  pid=$!
  echo "$pid" >"$WORK/idle-$2.pid"
  on_exit "touch '$stop'; kill $pid 2>/dev/null"
  until grep -q '^open .*)' "$out"; do # the whole line: it may reach the file in pieces
    kill -0 "$pid" 2>/dev/null || { cat "$out" >&2; die "the idle-connection helper failed"; }
    [ $SECONDS -lt $deadline ] || die "$IDLE_CONNECTIONS idle connections were not open within 180 s"
    sleep 0.2
  done
  log "$(grep -m 1 "^open" "$out") idle connections ($2)"
}

release_idle_connections() { # NAME
  touch "$WORK/idle-$1.stop"
  wait "$(cat "$WORK/idle-$1.pid")" || true
  local out="$WORK/idle-$1.out"
  if [ "$1" = with ]; then
    note idle "$(grep -m 1 "^open" "$out") idle keep-alive connections before the runs with them; $(tail -n 1 "$out") of them after the last."
  fi
}
