# "Open the app" from a phone on a cellular link: a network namespace joined to the host by a veth pair,
# tbf on each end for the bandwidth (this kernel has tbf but no netem), and DelayProxy on the host end for
# the round-trip time. The phone's client (OpenApp.java) runs inside the namespace. Sourced.
# shellcheck shell=bash

CELL_NS=imgedge-phone
CELL_HOST_IF=imgedge-h0         # the host's end of the veth pair
CELL_PHONE_IF=imgedge-p0        # the phone's end, inside the namespace
# link-local addresses: they exist only on this veth pair and can never be routed anywhere else
CELL_HOST_IP=169.254.77.1
CELL_PHONE_IP=169.254.77.2
CELL_GRID=${CELL_GRID:-30}      # thumbnails in the app's first screen
CELL_PARALLEL=${CELL_PARALLEL:-6}
# name:down:up:rtt_ms ("Slow 4G" as browsers' throttling presets define it; "4G" with a symmetric 9 Mbit/s)
CELL_PROFILES=${CELL_PROFILES:-"slow-4g:1600kbit:750kbit:150 4g:9mbit:9mbit:60"}
# the variant formats the app asks for, each measured on every profile (run.sh checks them): "jpeg webp" compares
FORMAT=${FORMAT:-jpeg}
CELL_ORIGINALS=${CELL_ORIGINALS:-1} # 0: leave out the originals (over three minutes on Slow 4G)

netns_up() {
  netns_down # a run killed before its trap could leave them behind
  on_exit netns_down
  ip netns add "$CELL_NS"
  ip link add "$CELL_HOST_IF" type veth peer name "$CELL_PHONE_IF"
  ip link set "$CELL_PHONE_IF" netns "$CELL_NS"
  ip addr add "$CELL_HOST_IP/30" dev "$CELL_HOST_IF"
  ip link set "$CELL_HOST_IF" up
  ip -n "$CELL_NS" addr add "$CELL_PHONE_IP/30" dev "$CELL_PHONE_IF"
  ip -n "$CELL_NS" link set "$CELL_PHONE_IF" up
  ip -n "$CELL_NS" link set lo up
}

netns_down() {
  ip netns del "$CELL_NS" 2>/dev/null || true       # takes the phone's end, and so the pair, with it
  ip link del "$CELL_HOST_IF" 2>/dev/null || true
}

# shape DOWN UP: tbf on the host end limits what the phone receives, on the phone end what it sends.
# The queue holds up to half a second of traffic, like a cellular base station's deep buffers.
shape() {
  tc qdisc replace dev "$CELL_HOST_IF" root tbf rate "$1" burst 16kb latency 500ms
  ip netns exec "$CELL_NS" tc qdisc replace dev "$CELL_PHONE_IF" root tbf rate "$2" burst 16kb latency 500ms
}

# start_delay_proxy RTT_MS: listens on the host end of the link, forwards to the service. Sets PROXY_URL.
start_delay_proxy() {
  local port out="$WORK/proxy-$1.out" deadline=$((SECONDS + 60))
  port=$(free_port)
  taskset -c "$LOAD_CPU" java "$LT_DIR/lib/DelayProxy.java" "$CELL_HOST_IP" "$port" 127.0.0.1 "$SERVICE_PORT" "$1" 1200 >"$out" 2>&1 &
  PROXY_PID=$!
  on_exit "kill $PROXY_PID 2>/dev/null"
  until grep -q '^listening' "$out"; do
    kill -0 "$PROXY_PID" 2>/dev/null || { cat "$out" >&2; die "the delay proxy did not start"; }
    [ $SECONDS -lt $deadline ] || die "the delay proxy did not start within 60 s"
    sleep 0.2
  done
  PROXY_URL="http://$CELL_HOST_IP:$port"
}

scenario_cellular() {
  log "cellular: open the app from a shaped network namespace (${CELL_PROFILES}; formats ${FORMAT})"
  netns_up
  local profile name down up rtt run mode format result
  for profile in $CELL_PROFILES; do
    IFS=: read -r name down up rtt <<<"$profile"
    shape "$down" "$up"
    start_delay_proxy "$rtt"
    # the formats back to back on the same link, then the originals once (their format is the upload's)
    local runs=$FORMAT
    if [ "$CELL_ORIGINALS" != 0 ]; then runs+=" original"; fi
    for run in $runs; do
      if [ "$run" = original ]; then mode=originals format=jpeg; else mode=variants format=$run; fi
      echo "ip netns exec $CELL_NS java load-tests/lib/OpenApp.java $PROXY_URL <client key> <worker key> $mode $CELL_GRID" \
        "$CELL_PARALLEL $format # $name: tbf $down down, $up up; DelayProxy rtt $rtt ms" >>"$RUN_DIR/commands.txt"
      result=$(ip netns exec "$CELL_NS" java "$LT_DIR/lib/OpenApp.java" "$PROXY_URL" "$CLIENT_KEY" "$WORKER_KEY" \
        "$mode" "$CELL_GRID" "$CELL_PARALLEL" "$format")
      python3 - "$name" "$down" "$up" "$rtt" "$result" >>"$RUN_DIR/results.jsonl" <<'EOF'
import json, sys
name, down, up, rtt, result = sys.argv[1:]
r = json.loads(result)
r.update(kind="cellular", profile=name, down=down, up=up, rttMs=int(rtt))
print(json.dumps(r))
EOF
      log "$name, $mode ($(jq_field "$result" format)): list $(jq_field "$result" listSeconds) s, first paint" \
        "$(jq_field "$result" firstPaintSeconds) s ($(jq_field "$result" placeholders) placeholders), grid" \
        "$(jq_field "$result" gridSeconds) s, detail $(jq_field "$result" detailSeconds) s ($(jq_field "$result" totalBytes) bytes)"
    done
    kill "$PROXY_PID" 2>/dev/null || true
  done
}

jq_field() { # json field
  python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"
}
