#!/bin/sh
# Entry point of the Flotilla image: the same JVM options as bin/flotilla (the agent sized for footprint, with its
# class-data archive), then JAVA_OPTS (later options win), then `flotilla <args>`.
set -eu
OPTS=""
if [ "${1:-}" = agent ]; then
  OPTS="-XX:+UseSerialGC -Xms16m -Xmx256m -Xmn4m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20"
  OPTS="$OPTS -XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=10"
  if java -XX:TrimNativeHeapInterval=10000 -version >/dev/null 2>&1; then
    OPTS="$OPTS -XX:TrimNativeHeapInterval=10000"
  fi
  export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
  if [ -f /opt/flotilla/agent-cds.jsa ]; then
    OPTS="$OPTS -XX:SharedArchiveFile=/opt/flotilla/agent-cds.jsa"
  fi
fi
# shellcheck disable=SC2086 # word splitting of the option lists is intended
exec java $OPTS ${JAVA_OPTS:-} -cp '/opt/flotilla/flotilla-cli.jar:/opt/flotilla/lib/*' io.flotilla.cli.FlotillaCli "$@"
