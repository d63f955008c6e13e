#!/usr/bin/env bash
# Prints one table comparing our imaging pipeline (libjpeg-turbo), its ImageIO fallback and vipsthumbnail:
# time per upload, SSIM of each variant against a full-resolution Lanczos-3 reference, bytes per variant.
# Usage: bench/pipeline.sh [photo folder] [--reps N] [--no-vips] [--no-imageio] [--no-memory]
# Default folder: src/test/resources/corpus/photos (relative to the project root). Runs on one core (taskset -c 1).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
args=()
for a in "$@"; do
  # a folder given relative to where the script was called from
  if [[ -d "$a" && "$a" != /* ]]; then a="$(cd "$a" && pwd)"; fi
  args+=("$a")
done
cd "$root"
command -v vipsthumbnail >/dev/null || echo "note: vipsthumbnail missing (apt-get install -y libvips-tools); its rows are skipped" >&2
mvn -q -B -Pbench -DskipTests test-compile
cpu="${BENCH_CPU:-1}"
exec taskset -c "$cpu" java -Xmx4g -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
  -Dlogback.configurationFile=bench/logback.xml \
  org.imgedge.imaging.PipelineTable ${args[@]+"${args[@]}"}
