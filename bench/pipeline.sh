#!/usr/bin/env bash
# Prints two tables comparing our imaging pipeline with vipsthumbnail:
#   1. JPEG photos, ours on libjpeg-turbo and on its ImageIO fallback: time per upload, SSIM of each variant
#      against a full-resolution Lanczos-3 reference, bytes per variant;
#   2. HEIC, AVIF and wide-gamut originals (heic/, formats/sample.avif, color/): time per upload, keeping
#      Display P3 and converting it to sRGB, and the bytes of the medium variant.
#   3. per variant format (JPEG baseline and progressive, WebP, AVIF): median bytes and SSIM against the same
#      Lanczos-3 reference, and the pipeline time of progressive against baseline (FORMATS_ARGS="--webp 75,80"...).
# Usage: bench/pipeline.sh [photo folder] [--reps N] [--no-vips] [--no-imageio] [--no-memory]
# Default folder: src/test/resources/corpus/photos (relative to the project root). Runs on one core (taskset -c 1);
# BENCH_CPU=0,1 gives it two, as libheif decodes a HEIC's tiles on every core it has (vips too).
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
run() {
  taskset -c "$cpu" java -Xmx4g -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
    -Dlogback.configurationFile=bench/logback.xml "$@"
}
run org.imgedge.imaging.PipelineTable ${args[@]+"${args[@]}"}
echo
run org.imgedge.imaging.HeifColorTable
echo
# bytes and SSIM of each variant format, and progressive JPEG's time against baseline (FormatsTable)
run org.imgedge.imaging.FormatsTable ${FORMATS_ARGS:-}
echo
# the time of one medium-sized variant's encode in each format, wall and CPU: AVIF's CPU = its wall on one core
run org.imgedge.imaging.codec.FormatSpeed
