# A 4 MB phone photo sent over Slow 4G whose link drops every RESUME_CUT_SECONDS: with tus (tus-js-client,
# resuming from the offset the server holds) against a plain POST /v1/images that starts over after every
# drop (curl, again 1 s after each failure, for at most RESUME_POST_LIMIT seconds, then "did not finish"). The link is
# the cellular scenario's shaped namespace; a drop is the DelayProxy on the host end being killed, which
# resets every connection through it, and started again on the same port (the link is back about a second
# later, the time the proxy takes to start). Sourced.
# shellcheck shell=bash

RESUME_PROFILE=${RESUME_PROFILE:-"slow-4g:1600kbit:750kbit:150"}
RESUME_CUT_SECONDS=${RESUME_CUT_SECONDS:-10}
RESUME_POST_LIMIT=${RESUME_POST_LIMIT:-300}
RESUME_PHOTO=${RESUME_PHOTO:-$CORPUS/photos/apple-iphone-4s.jpg}

# cut_link_every SECONDS PORT RTT: kills and restarts the delay proxy on PORT every SECONDS, in the background
cut_link_every() {
  (
    while true; do
      sleep "$1"
      kill "$PROXY_PID" 2>/dev/null || true
      wait "$PROXY_PID" 2>/dev/null || true
      taskset -c "$LOAD_CPU" java "$LT_DIR/lib/DelayProxy.java" "$CELL_HOST_IP" "$2" 127.0.0.1 "$SERVICE_PORT" "$3" 1200 \
        >>"$WORK/proxy-cut.out" 2>&1 &
      PROXY_PID=$!
      echo "$PROXY_PID" >"$WORK/proxy.pid"
    done
  ) &
  CUTTER_PID=$!
  on_exit "kill $CUTTER_PID 2>/dev/null; kill \$(cat '$WORK/proxy.pid' 2>/dev/null) 2>/dev/null"
}

stop_cutting() {
  kill "$CUTTER_PID" 2>/dev/null || true
  wait "$CUTTER_PID" 2>/dev/null || true
  kill "$(cat "$WORK/proxy.pid" 2>/dev/null)" "$PROXY_PID" 2>/dev/null || true
}

# post_until_done URL: plain POSTs from the namespace until one succeeds or RESUME_POST_LIMIT s pass.
# Prints "seconds attempts" or "dnf attempts".
post_until_done() {
  local start=$SECONDS attempts=0 code
  while [ $((SECONDS - start)) -lt "$RESUME_POST_LIMIT" ]; do
    attempts=$((attempts + 1))
    code=$(ip netns exec "$CELL_NS" curl -s -o /dev/null -w '%{http_code}' --max-time $((RESUME_POST_LIMIT - (SECONDS - start) + 1)) \
      -H "Authorization: Bearer $CLIENT_KEY" -H 'Content-Type: image/jpeg' --data-binary @"$RESUME_PHOTO" "$1/v1/images" || true)
    if [ "$code" = 201 ] || [ "$code" = 200 ]; then
      echo "$((SECONDS - start)) $attempts"
      return
    fi
    sleep 1 # as the tus client waits 1 s before it tries again: an app does not hammer a link that is down
  done
  echo "dnf $attempts"
}

scenario_resumable() {
  local name down up rtt port tus post tus_s tus_retries post_s post_attempts
  IFS=: read -r name down up rtt <<<"$RESUME_PROFILE"
  log "resumable: $(basename "$RESUME_PHOTO") over $name, the link cut every $RESUME_CUT_SECONDS s: tus against plain POST"
  [ -d "$ROOT/.ci/tus-client/node_modules/tus-js-client" ] || die "tus-js-client is missing: run .ci/install-deps"
  netns_up
  shape "$down" "$up"
  start_delay_proxy "$rtt"
  port=${PROXY_URL##*:}
  echo "$PROXY_PID" >"$WORK/proxy.pid"

  echo "ip netns exec $CELL_NS node .ci/tus-client/upload.js $PROXY_URL/v1/uploads <client key> ${RESUME_PHOTO#"$ROOT/"} 0 1000" \
    "# $name, DelayProxy restarted every $RESUME_CUT_SECONDS s" >>"$RUN_DIR/commands.txt"
  cut_link_every "$RESUME_CUT_SECONDS" "$port" "$rtt"
  tus=$(ip netns exec "$CELL_NS" timeout "$RESUME_POST_LIMIT" node "$ROOT/.ci/tus-client/upload.js" "$PROXY_URL/v1/uploads" \
    "$CLIENT_KEY" "$RESUME_PHOTO" 0 1000 | tail -1 || true)
  stop_cutting
  if python3 -c 'import json,sys; sys.exit(0 if json.loads(sys.argv[1]).get("done") else 1)' "$tus" 2>/dev/null; then
    tus_s=$(python3 -c 'import json,sys; print(round(json.loads(sys.argv[1])["ms"] / 1000, 1))' "$tus")
    tus_retries=$(jq_field "$tus" retries)
  else
    tus_s=dnf; tus_retries=?
  fi

  start_delay_proxy "$rtt"
  port=${PROXY_URL##*:}
  echo "$PROXY_PID" >"$WORK/proxy.pid"
  echo "ip netns exec $CELL_NS curl --data-binary @${RESUME_PHOTO#"$ROOT/"} $PROXY_URL/v1/images  # again after every drop, at most $RESUME_POST_LIMIT s" \
    >>"$RUN_DIR/commands.txt"
  cut_link_every "$RESUME_CUT_SECONDS" "$port" "$rtt"
  post=$(post_until_done "$PROXY_URL")
  stop_cutting
  read -r post_s post_attempts <<<"$post"

  echo "{\"kind\": \"resumable\", \"profile\": \"$name\", \"cutSeconds\": $RESUME_CUT_SECONDS, \"bytes\": $(stat -c %s "$RESUME_PHOTO")," \
    "\"tusSeconds\": \"$tus_s\", \"tusRetries\": \"$tus_retries\", \"postSeconds\": \"$post_s\", \"postAttempts\": $post_attempts," \
    "\"postLimitSeconds\": $RESUME_POST_LIMIT}" >>"$RUN_DIR/results.jsonl"
  log "resumable: tus $tus_s s ($tus_retries retries), POST ${post_s/dnf/did not finish in $RESUME_POST_LIMIT s} ($post_attempts attempts)"
}
