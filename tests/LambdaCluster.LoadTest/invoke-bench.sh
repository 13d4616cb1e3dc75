#!/usr/bin/env bash
# The invocation core's benchmark, in one run on this machine (Release build; loopback only; stops what it starts):
#   tests/LambdaCluster.LoadTest/invoke-bench.sh [seconds-per-run, default 10] [--no-cluster] [--baseline GIT-REV]
# 0. with --baseline: that commit, built in a temporary git worktree, measured first exactly as step 1 (label "base"),
#    so that before and after come from the same run on the same machine;
# 1. one embedded node: the echo function (nodejs22.x) through the gateway at concurrency 1, 16 and 64, each run right
#    next to the same handler behind a bare Node.js HTTP server (echo-floor.mjs); warm p50/p99, throughput, and the
#    node's CPU (and the function processes') per invocation;
# 2. deploy/local-cluster.sh (Redis, 3 silos, a gateway-only process): the same echo at 16 and 64, through the
#    gateway-only process and spread over the silos' own APIs, compared with the single node's figures of step 1.
# Load comes from wrk (apt-get install -y wrk); without it, from lambda-load itself (which costs the shared cores more).
# Its work directory (the nodes' logs and data) is removed at the end, unless the run failed or KEEP_WORK=1.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# Warm-up before each measured run, repeated until it starts no environment; lambda-load bench then runs the measured
# load in 5 s rounds until its throughput stops rising (--settle), since JIT tiering in the cluster's four .NET
# processes and V8's in each function process take far longer than one node's (a fixed 15 s left the cluster at a
# third of steady state).
WARMUP=${WARMUP:-15}
SECONDS_PER_RUN=10 CLUSTER=1 BASELINE=
while [ $# -gt 0 ]; do
  case "$1" in
    --no-cluster) CLUSTER=0 ;;
    --baseline) BASELINE=$2; shift ;;
    *) SECONDS_PER_RUN=$1 ;;
  esac
  shift
done
WORK=$(mktemp -d /tmp/lambda-invoke-bench-XXXX)
L="dotnet $ROOT/tests/LambdaCluster.LoadTest/bin/Release/net10.0/lambda-load.dll"
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 AWS_MAX_ATTEMPTS=1
NODE_PID= FLOOR_PID=
cleanup() {
  local rc=$?
  [ -n "$NODE_PID" ] && kill "$NODE_PID" 2>/dev/null || true
  [ -n "$FLOOR_PID" ] && kill "$FLOOR_PID" 2>/dev/null || true
  [ -n "$BASELINE" ] && git -C "$ROOT" worktree remove --force "$WORK/base" >/dev/null 2>&1 || true
  RUN_DIR=$WORK/cluster BASE_PORT=19000 REDIS_PORT=16409 SILO_PORT_BASE=19110 GATEWAY_PORT_BASE=19130 "$ROOT/deploy/local-cluster.sh" stop >/dev/null 2>&1 || true
  if [ "$rc" -ne 0 ] || [ "${KEEP_WORK:-0}" = 1 ]; then echo "logs and data kept in $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

dotnet build "$ROOT/Cluster.sln" -c Release -v quiet >/dev/null
(cd "$WORK" && printf 'export const handler = async (event) => event;\n' > index.mjs && zip -q echo.zip index.mjs)
create() { # endpoint
  aws --endpoint-url "$1" lambda create-function --function-name echo --runtime nodejs22.x --handler index.handler \
    --role arn:aws:iam::000000000000:role/bench --zip-file "fileb://$WORK/echo.zip" --query State --output text >/dev/null
}

node_bench() { # label silo-dll [bench args...]
  local label=$1 dll=$2; shift 2
  echo "== $label: one embedded node, against the floor"
  rm -rf "$WORK/node"
  dotnet "$dll" --Node:DataDirectory="$WORK/node" --Gateway:Url=http://127.0.0.1:19600 \
    --Silo:SiloPort=19601 --Silo:GatewayPort=19602 >"$WORK/$label.log" 2>&1 &
  NODE_PID=$!
  node "$ROOT/tests/LambdaCluster.LoadTest/echo-floor.mjs" 19700 >"$WORK/floor.log" 2>&1 &
  FLOOR_PID=$!
  until grep -q "Lambda API listening" "$WORK/$label.log"; do sleep 0.2; done
  create http://127.0.0.1:19600
  $L bench --endpoint http://127.0.0.1:19600 --floor http://127.0.0.1:19700 --silo-pid "$NODE_PID" --label "$label" \
    --duration "$SECONDS_PER_RUN" --warmup "$WARMUP" --json-out "$WORK/$label.json" "$@"
  kill "$NODE_PID" "$FLOOR_PID"; wait "$NODE_PID" "$FLOOR_PID" 2>/dev/null || true; NODE_PID= FLOOR_PID=
}

if [ -n "$BASELINE" ]; then
  git -C "$ROOT" worktree add --detach "$WORK/base" "$BASELINE" >/dev/null 2>&1
  dotnet build "$WORK/base/src/Silo" -c Release -v quiet >/dev/null
  node_bench base "$WORK/base/src/Silo/bin/Release/net10.0/LambdaCluster.Silo.dll"
  echo
  node_bench node "$ROOT/src/Silo/bin/Release/net10.0/LambdaCluster.Silo.dll" --compare "$WORK/base.json"
else
  node_bench node "$ROOT/src/Silo/bin/Release/net10.0/LambdaCluster.Silo.dll"
fi
[ "$CLUSTER" = 1 ] || exit 0

echo
echo "== 3-silo loopback cluster (deploy/local-cluster.sh), through its gateway-only process"
export RUN_DIR=$WORK/cluster BASE_PORT=19000 REDIS_PORT=16409 SILO_PORT_BASE=19110 GATEWAY_PORT_BASE=19130
"$ROOT/deploy/local-cluster.sh" start >/dev/null
PIDS=$(cat "$RUN_DIR"/silo1.pid "$RUN_DIR"/silo2.pid "$RUN_DIR"/silo3.pid "$RUN_DIR"/gateway.pid | paste -sd,)
create http://127.0.0.1:19000
$L bench --endpoint http://127.0.0.1:19000 --metrics http://127.0.0.1:19001,http://127.0.0.1:19002,http://127.0.0.1:19003 \
  --silo-pid "$PIDS" --label cluster --concurrency 16,64 --duration "$SECONDS_PER_RUN" --warmup "$WARMUP" --compare "$WORK/node.json"
echo
echo "== the same cluster, connections spread over the silos' own APIs (no gateway-only hop)"
$L bench --endpoint http://127.0.0.1:19001,http://127.0.0.1:19002,http://127.0.0.1:19003 \
  --metrics http://127.0.0.1:19001,http://127.0.0.1:19002,http://127.0.0.1:19003 \
  --silo-pid "$PIDS" --label spread --concurrency 16,64 --duration "$SECONDS_PER_RUN" --warmup "$WARMUP" --compare "$WORK/node.json"
