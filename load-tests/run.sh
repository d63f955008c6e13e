#!/usr/bin/env bash
# Load tests of imgedge (see load-tests/README.md).
#
#   load-tests/run.sh all
#   load-tests/run.sh small|medium|revalidate|list|open-app|upload-burst|idle|nginx|cellular|resumable [...]
#
# Installs what it needs, builds the jar if it is missing or stale, starts the service pinned to core
# SERVICE_CPU (PostgreSQL in a fresh database; the list scenario also on SQLite), uploads test images,
# runs the scenarios with wrk pinned to core LOAD_CPU, then writes a report with latency charts to
# load-tests/reports/<time>/ and the summary to load-tests/RESULTS.md.
# Tunables (environment): DURATION WARMUP JIT_WARMUP CONNECTIONS PACED_RATE IDLE_CONNECTIONS BURST_CLIENTS
# IDLE_SETTLE IDLE_ROUNDS IDLE_CYCLES NGINX_ROUNDS CELL_PROFILES CELL_GRID CELL_PARALLEL CELL_ORIGINALS FORMAT SERVICE_CPU LOAD_CPU
# JAVA_OPTS. FORMAT: the variant formats the cellular app asks for and, with webp, nginx also serves
# ("jpeg" by default; e.g. "jpeg webp" compares the two in one run).
set -euo pipefail

LT_DIR="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$LT_DIR")"
# shellcheck source=SCRIPTDIR/lib/common.sh
source "$LT_DIR/lib/common.sh"
# shellcheck source=SCRIPTDIR/lib/scenarios.sh
source "$LT_DIR/lib/scenarios.sh"
# shellcheck source=SCRIPTDIR/lib/nginx.sh
source "$LT_DIR/lib/nginx.sh"
# shellcheck source=SCRIPTDIR/lib/cellular.sh
source "$LT_DIR/lib/cellular.sh"

# shellcheck source=SCRIPTDIR/lib/resumable.sh
source "$LT_DIR/lib/resumable.sh"

ALL=(small medium revalidate list open-app idle nginx upload-burst cellular resumable)

usage() {
  echo "usage: load-tests/run.sh all | ${ALL[*]// /|} ..." >&2
  exit 2
}

main() {
  [ $# -gt 0 ] || usage
  local scenarios=() s
  for s in "$@"; do
    if [ "$s" = all ]; then scenarios+=("${ALL[@]}"); else
      [[ " ${ALL[*]} " == *" $s "* ]] || usage
      scenarios+=("$s")
    fi
  done
  [ "$(id -u)" -eq 0 ] || die "needs root: it installs packages, and the cellular scenario makes a network namespace"
  [ -d "$CORPUS/photos" ] || die "the test corpus is missing: $CORPUS"
  for s in $FORMAT; do
    [[ " jpeg webp avif " == *" $s "* ]] || die "FORMAT takes jpeg, webp and avif, not $s"
  done

  install_deps
  build_jar
  raise_open_files

  WORK=$(mktemp -d)
  on_exit "rm -rf '$WORK'"
  RUN_DIR="$LT_DIR/reports/$(date -u +%Y%m%d-%H%M%S)"
  mkdir -p "$RUN_DIR"
  echo "load-tests/run.sh $*" >"$RUN_DIR/command.txt"
  env | grep -E '^(DURATION|WARMUP|CONNECTIONS|PACED_RATE|IDLE_CONNECTIONS|IDLE_SETTLE|IDLE_ROUNDS|BURST_CLIENTS|NGINX_ROUNDS|CELL_[A-Z]+|FORMAT|RESUME_[A-Z_]+|SERVICE_CPU|LOAD_CPU|JAVA_OPTS)=' \
    >"$RUN_DIR/settings.txt" || true

  start_service postgres
  seed_images
  warm_up_service
  for s in "${scenarios[@]}"; do
    "scenario_${s//-/_}"
  done
  stop_service "$SERVICE_PID"

  # the list also on SQLite, the embedded default: a fresh service with the same images
  if [[ " ${scenarios[*]} " == *" list "* ]]; then
    start_service sqlite
    seed_images
    warm_up_service
    scenario_list
    stop_service "$SERVICE_PID"
  fi

  python3 "$LT_DIR/lib/report.py" "$RUN_DIR"
  cp "$RUN_DIR/summary.md" "$LT_DIR/RESULTS.md"
  log "report: ${RUN_DIR#"$ROOT"/}/report.md; summary: load-tests/RESULTS.md"
}

main "$@"
