# The nginx comparison: nginx serves the very bytes the service serves, as static files at the same
# paths, with one worker pinned to the service's core; the same wrk load runs against both. Sourced.
# shellcheck shell=bash

# start_nginx: docroot filled from the running service; sets NGINX_URL.
start_nginx() {
  local dir="$WORK/nginx" port path
  port=$(free_port)
  rm -rf "$dir"
  mkdir -p "$dir/root" "$dir/tmp"
  # the same bytes: fetched from the service, stored under the path the service serves them at
  # (nginx ignores the ?v= query, so the request files work unchanged)
  local files=("$WORK/req/small" "$WORK/req/medium")
  if [ -f "$WORK/req/small-webp" ]; then files+=("$WORK/req/small-webp" "$WORK/req/medium-webp"); fi
  cut -f1 "${files[@]}" | while read -r path; do
    path=${path%%\?*}
    mkdir -p "$dir/root$(dirname "$path")"
    curl -fsS -o "$dir/root$path" "$BASE_URL$path"
  done
  # workers drop root and run as nobody: they must be able to read the docroot under the temp folder
  chmod -R a+rX "$WORK"
  cat >"$dir/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
  # no line per successful request, as the service by default (it logs 4xx/5xx only)
  access_log off;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_requests 1000000;
  keepalive_timeout 120s;
  open_file_cache max=1000 inactive=60s;
  types { image/jpeg jpg; image/webp webp; image/avif avif; }
  client_body_temp_path $dir/tmp/body;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
  server {
    listen 127.0.0.1:$port;
    root $dir/root;
    location / {
      add_header Cache-Control "public, max-age=31536000, immutable";
    }
  }
}
EOF
  log "starting nginx ($(nginx -v 2>&1 | sed 's/.*: //')) with one worker on core $SERVICE_CPU, port $port"
  taskset -c "$SERVICE_CPU" nginx -e "$dir/error.log" -p "$dir" -c "$dir/nginx.conf" &
  local pid=$! deadline=$((SECONDS + 30))
  on_exit "kill $pid 2>/dev/null; wait $pid 2>/dev/null"
  NGINX_URL="http://127.0.0.1:$port"
  until curl -fs -o /dev/null "$NGINX_URL$(head -n 1 "$WORK/req/small" | cut -f1)"; do
    kill -0 "$pid" 2>/dev/null || { cat "$dir/error.log" >&2; die "nginx did not start"; }
    [ $SECONDS -lt $deadline ] || die "nginx did not answer within 30 s"
    sleep 0.2
  done
  cmp -s <(curl -fsS "$NGINX_URL$(head -n 1 "$WORK/req/small" | cut -f1)") \
    <(curl -fsS "$BASE_URL$(head -n 1 "$WORK/req/small" | cut -f1)") || die "nginx does not serve the service's bytes"
  if [ -f "$WORK/req/small-webp" ]; then
    local webp
    webp=$(head -n 1 "$WORK/req/small-webp" | cut -f1)
    cmp -s <(curl -fsS "$NGINX_URL$webp") <(curl -fsS "$BASE_URL$webp") || die "nginx does not serve the service's WebP bytes"
    [ "$(curl -fsS -o /dev/null -w '%{content_type}' "$NGINX_URL$webp")" = image/webp ] || die "nginx does not say image/webp"
  fi
}

scenario_nginx() {
  start_nginx
  # The machine's speed drifts by tens of percent between runs a minute apart, so the comparison is made
  # NGINX_ROUNDS times, each round measuring both servers back to back; the report takes the median of
  # the rounds' ratios.
  # with FORMAT=webp (or a list with it), the WebP variants too: the same comparison for .webp serving
  local round presets=(small medium)
  if [[ " $FORMAT " == *" webp "* ]]; then presets+=(small-webp medium-webp); fi
  for ((round = 1; round <= NGINX_ROUNDS; round++)); do
    log "nginx: round $round of $NGINX_ROUNDS, the same wrk load on the service and on nginx: ${presets[*]}"
    local preset
    for preset in "${presets[@]}"; do
      measure "nginx.$preset.imgedge.$round" "imgedge, $preset variant, round $round" "$BASE_URL" "$WORK/req/$preset"
      measure "nginx.$preset.nginx.$round" "nginx, the same $preset files, round $round" "$NGINX_URL" "$WORK/req/$preset"
    done
  done
  python3 "$LT_DIR/lib/report.py" --nginx-table "$RUN_DIR" | tee "$RUN_DIR/nginx.md"
}
