#!/usr/bin/env bash
# The figures of docs/benchmarks.md, in one run on this machine (Release build; loopback only; stops what it starts).
#   tests/LambdaCluster.LoadTest/bench.sh [seconds-per-run, default 10]
# 1. one embedded node: the echo function (nodejs22.x) at concurrency 1, 16, 64; scale 0 -> 50 environments
# 2. the floor: the same echo handler behind a bare Node.js HTTP server, same concurrencies
# 3. deploy/local-cluster.sh (Redis, 3 silos, gateway): echo through the gateway and round robin over the silos; scale 0 -> 50
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SECONDS_PER_RUN=${1:-10}
WORK=$(mktemp -d /tmp/lambda-bench-XXXX)
L="dotnet $ROOT/tests/LambdaCluster.LoadTest/bin/Release/net10.0/lambda-load.dll"
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 AWS_MAX_ATTEMPTS=1
NODE_PID= FLOOR_PID=
cleanup() {
  [ -n "$NODE_PID" ] && kill "$NODE_PID" 2>/dev/null || true
  [ -n "$FLOOR_PID" ] && kill "$FLOOR_PID" 2>/dev/null || true
  RUN_DIR=$WORK/cluster BASE_PORT=19000 REDIS_PORT=16409 "$ROOT/deploy/local-cluster.sh" stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

dotnet build "$ROOT/Cluster.sln" -c Release -v quiet >/dev/null
(cd "$WORK" && printf 'export const handler = async (event) => event;\n' > index.mjs && zip -q echo.zip index.mjs \
  && printf 'export const handler = async (event) => { await new Promise(r => setTimeout(r, event.sleep * 1000)); return event; };\n' > index.mjs && zip -q sleepy.zip index.mjs)

create() { # endpoint name zip
  aws --endpoint-url "$1" lambda create-function --function-name "$2" --runtime nodejs22.x --handler index.handler \
    --role arn:aws:iam::000000000000:role/bench --zip-file "fileb://$3" --query State --output text >/dev/null
}
load() { # label, lambda-load arguments...
  local label=$1; shift
  printf '%-38s %s\n' "$label" "$($L "$@" --duration "${SECONDS_PER_RUN}s" --warmup 2s --payload '{"hello":"world"}' | grep -E 'throughput|latency|errors' | tr -s ' ' | tr '\n' ' ')"
}

echo "== one embedded node"
dotnet "$ROOT/src/Silo/bin/Release/net10.0/LambdaCluster.Silo.dll" --Node:DataDirectory="$WORK/node" --Gateway:Url=http://127.0.0.1:19600 \
  --Silo:SiloPort=19601 --Silo:GatewayPort=19602 >"$WORK/node.log" 2>&1 &
NODE_PID=$!
until grep -q "Lambda API listening" "$WORK/node.log"; do sleep 0.2; done
create http://127.0.0.1:19600 echo "$WORK/echo.zip"
for c in 1 16 64; do load "node echo c=$c" --endpoint http://127.0.0.1:19600 --function echo --concurrency $c; done
for n in 1 2; do
  name="sleepy-node-$n"; create http://127.0.0.1:19600 $name "$WORK/sleepy.zip"
  printf '%-38s %s\n' "node scale 0->50 (handler sleeps 2 s)" "$($L --endpoint http://127.0.0.1:19600 --function $name --concurrency 50 --requests 50 --payload '{"sleep":2}' | grep -E 'requests|latency|cold' | tr -s ' ' | tr '\n' ' ')"
done
kill "$NODE_PID"; NODE_PID=

echo "== floor: bare Node.js HTTP server, same handler"
node "$ROOT/tests/LambdaCluster.LoadTest/echo-floor.mjs" 19700 >"$WORK/floor.log" 2>&1 &
FLOOR_PID=$!
sleep 1
for c in 1 16 64; do load "floor c=$c" --endpoint http://127.0.0.1:19700 --raw-path / --concurrency $c; done
kill "$FLOOR_PID"; FLOOR_PID=

echo "== 3-silo loopback cluster (deploy/local-cluster.sh)"
RUN_DIR=$WORK/cluster BASE_PORT=19000 REDIS_PORT=16409 "$ROOT/deploy/local-cluster.sh" start >/dev/null
SILOS=http://127.0.0.1:19001,http://127.0.0.1:19002,http://127.0.0.1:19003
create http://127.0.0.1:19000 echo "$WORK/echo.zip"
for c in 1 16 64; do
  load "cluster via gateway c=$c" --endpoint http://127.0.0.1:19000 --metrics $SILOS --function echo --concurrency $c
  load "cluster via silos c=$c" --endpoint $SILOS --function echo --concurrency $c
done
for n in 1 2; do
  name="sleepy-cluster-$n"; create http://127.0.0.1:19000 $name "$WORK/sleepy.zip"
  printf '%-38s %s\n' "cluster scale 0->50 (handler sleeps 2 s)" "$($L --endpoint http://127.0.0.1:19000 --metrics $SILOS --function $name --concurrency 50 --requests 50 --payload '{"sleep":2}' | grep -E 'requests|latency|cold' | tr -s ' ' | tr '\n' ' ')"
done
