#!/usr/bin/env bash
# A real multi-process cluster on one machine, on loopback ports: Redis, three silos (each also serving
# the Lambda API) and one gateway-only process.
#
#   deploy/local-cluster.sh start        build if needed, start everything, wait until every node listens
#   deploy/local-cluster.sh status       which processes run, and their endpoints
#   deploy/local-cluster.sh kill-silo N  SIGKILL silo N (1-3), as a crashed machine would go
#   deploy/local-cluster.sh stop         stop everything this script started (by the PIDs it recorded)
#
# Endpoints: gateway http://127.0.0.1:$BASE_PORT, silo N http://127.0.0.1:$((BASE_PORT+N)).
# Settings (environment): BASE_PORT (9000), REDIS_PORT (6400), SILO_PORT_BASE (11110), GATEWAY_PORT_BASE
# (30010), RUN_DIR (/tmp/lambda-local-cluster: PIDs, logs, Redis and node data), CONFIGURATION (Release).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BASE_PORT=${BASE_PORT:-9000}
REDIS_PORT=${REDIS_PORT:-6400}
SILO_PORT_BASE=${SILO_PORT_BASE:-11110}
GATEWAY_PORT_BASE=${GATEWAY_PORT_BASE:-30010}
RUN_DIR=${RUN_DIR:-/tmp/lambda-local-cluster}
CONFIGURATION=${CONFIGURATION:-Release}
DLL="$ROOT/src/Silo/bin/$CONFIGURATION/net10.0/LambdaCluster.Silo.dll"

alive() { [ -f "$RUN_DIR/$1.pid" ] && kill -0 "$(cat "$RUN_DIR/$1.pid")" 2>/dev/null; }

wait_for_line() { # file, text, seconds
  local deadline=$((SECONDS + $3))
  until grep -q "$2" "$1" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ]; then echo "timed out waiting for '$2' in $1:" >&2; tail -20 "$1" >&2; return 1; fi
    sleep 0.2
  done
}

start_node() { # name, extra arguments...
  local name=$1; shift
  mkdir -p "$RUN_DIR/$name"
  # Four .NET processes share this machine's cores with the function processes: a thread-pool worker that runs out of
  # work would spin (sched_yield) before it sleeps, on cores the others need. Measured on 2 cores through the
  # gateway-only process: 28 % of all CPU went to that spinning; without it, 1.2-2.2x the throughput
  # (docs/benchmarks.md, "2026-12-02 (evening)").
  # A silo alone on its machine keeps .NET's default. Override with DOTNET_ThreadPool_UnfairSemaphoreSpinLimit.
  DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=${DOTNET_ThreadPool_UnfairSemaphoreSpinLimit:-0} \
  nohup dotnet "$DLL" \
    --Cluster:Redis="127.0.0.1:$REDIS_PORT" --Cluster:ClusterId="$(cat "$RUN_DIR/cluster-id")" \
    --Node:DataDirectory="$RUN_DIR/$name" "$@" >"$RUN_DIR/$name.log" 2>&1 &
  echo $! >"$RUN_DIR/$name.pid"
}

start() {
  if alive redis || alive silo1 || alive gateway; then echo "already running (see $0 status)" >&2; exit 1; fi
  command -v redis-server >/dev/null || { echo "redis-server is missing: apt-get install -y redis-server" >&2; exit 1; }
  [ -f "$DLL" ] || dotnet build "$ROOT/src/Silo" -c "$CONFIGURATION" -v quiet
  mkdir -p "$RUN_DIR"
  # A fresh ClusterId per start: silos of an earlier run that were killed are never waited for.
  # Function state is keyed by the ServiceId, so it survives restarts.
  echo "local-$(date +%s)" >"$RUN_DIR/cluster-id"

  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$RUN_DIR" --appendonly yes --daemonize no >"$RUN_DIR/redis.log" 2>&1 &
  echo $! >"$RUN_DIR/redis.pid"
  wait_for_line "$RUN_DIR/redis.log" "Ready to accept connections" 10

  for n in 1 2 3; do
    # Sandboxed functions reach no port of this machine but their node's API: let them call the gateway-only process too.
    start_node "silo$n" --Gateway:Url="http://127.0.0.1:$((BASE_PORT + n))" \
      --Silo:SiloPort=$((SILO_PORT_BASE + n)) --Silo:GatewayPort=$((GATEWAY_PORT_BASE + n)) \
      --Environments:ReachableLocalPorts:0="$BASE_PORT"
  done
  for n in 1 2 3; do wait_for_line "$RUN_DIR/silo$n.log" "Lambda API listening on" 60; done

  start_node gateway --Node:Role=Gateway --Gateway:Url="http://127.0.0.1:$BASE_PORT"
  wait_for_line "$RUN_DIR/gateway.log" "Lambda API listening on" 60
  status
}

status() {
  for name in redis silo1 silo2 silo3 gateway; do
    if alive "$name"; then state="running (pid $(cat "$RUN_DIR/$name.pid"))"; else state="stopped"; fi
    case $name in
      redis) endpoint="127.0.0.1:$REDIS_PORT" ;;
      gateway) endpoint="http://127.0.0.1:$BASE_PORT" ;;
      *) endpoint="http://127.0.0.1:$((BASE_PORT + ${name#silo}))" ;;
    esac
    printf '%-8s %-24s %s\n' "$name" "$endpoint" "$state"
  done
}

kill_silo() {
  local name="silo${1:?which silo (1-3)?}"
  alive "$name" || { echo "$name is not running" >&2; exit 1; }
  kill -9 "$(cat "$RUN_DIR/$name.pid")"
  echo "killed $name (pid $(cat "$RUN_DIR/$name.pid"))"
}

stop() {
  for name in gateway silo1 silo2 silo3 redis; do
    if alive "$name"; then
      pid=$(cat "$RUN_DIR/$name.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$RUN_DIR/$name.pid"
  done
  echo "stopped"
}

case "${1:-}" in
  start) start ;;
  status) status ;;
  kill-silo) kill_silo "${2:-}" ;;
  stop) stop ;;
  *) sed -n '2,13p' "$0"; exit 2 ;;
esac
