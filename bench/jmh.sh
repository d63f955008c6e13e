#!/usr/bin/env bash
# JMH benchmarks of the imaging pipeline, on one core. Arguments go to JMH, e.g.:
#   bench/jmh.sh PipelineBenchmark -p codec=turbo,imageio
#   bench/jmh.sh ResizeBenchmark
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -Pbench -DskipTests test-compile
exec taskset -c "${BENCH_CPU:-1}" java -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
  -Dlogback.configurationFile=bench/logback.xml \
  org.openjdk.jmh.Main "$@"
