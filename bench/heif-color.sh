#!/usr/bin/env bash
# HEIC, AVIF and wide-gamut photos: ms per upload of our pipeline next to vipsthumbnail (both on every core:
# libheif decodes a grid's tiles in parallel in both), and the cost of converting wide-gamut colour to sRGB.
# Usage: bench/heif-color.sh [--reps N]. Needs vipsthumbnail (apt-get install -y libvips-tools) for its column.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
command -v vipsthumbnail >/dev/null || echo "note: vipsthumbnail missing (apt-get install -y libvips-tools); its column is empty" >&2
mvn -q -B -Pbench -DskipTests test-compile
exec java -Xmx4g -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
  -Dlogback.configurationFile=bench/logback.xml \
  org.imgedge.imaging.HeifColorTable "$@"
