#!/usr/bin/env bash
# Queue-to-function figures of docs/benchmarks.md, in one run (Release build; one embedded node on loopback; stops what it starts).
#   tests/LambdaCluster.LoadTest/queue-bench.sh [messages, default 5000]
# 0. baseline: direct Invoke of the same function at concurrency 16 (what the queue path adds its cost to)
# 1. messages per second from a backlog to a nodejs22.x function through an SQS mapping, batch size 1 and 10
#    (ScalingConfig.MaximumConcurrency 16: on 2 cores more concurrent environments only add contention)
# 2. delay from SendMessage to the handler starting, one message at a time (low load): 100 probes
# 3. stream records per second end to end: a backlog of 10x messages in a 2-shard stream to a nodejs22.x function (stream-throughput.py)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
MESSAGES=${1:-5000}
WORK=$(mktemp -d /tmp/lambda-queue-bench-XXXX)
JS="$ROOT/tests/LambdaCluster.Tests/EndToEnd/js"
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 AWS_MAX_ATTEMPTS=1
E=http://127.0.0.1:19800
NODE_PID=
trap '[ -n "$NODE_PID" ] && kill "$NODE_PID" 2>/dev/null || true' EXIT
quiet() { grep -v -i -E "warn|node >=|versions pub|will req|continue rec|security up|a.co/|^$" >&2 || true; }

dotnet build "$ROOT/Cluster.sln" -c Release -v quiet >/dev/null
(cd "$JS" && [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error)
(cd "$WORK" && printf 'export const handler = async (event) => {\n  const now = Date.now();\n  for (const r of event.Records) console.log(`lag ${now - Number(r.attributes.SentTimestamp)}`);\n};\n' > index.mjs && zip -q sink.zip index.mjs \
  && printf 'export const handler = async (event) => { console.log(`got ${event.Records.length}`); };\n' > index.mjs && zip -q stream-sink.zip index.mjs)
dotnet "$ROOT/src/Silo/bin/Release/net10.0/LambdaCluster.Silo.dll" --Node:DataDirectory="$WORK/node" --Gateway:Url=$E \
  --Silo:SiloPort=19801 --Silo:GatewayPort=19802 >"$WORK/node.log" 2>&1 &
NODE_PID=$!
until grep -q "Lambda API listening" "$WORK/node.log"; do sleep 0.2; done
aws --endpoint-url $E lambda create-function --function-name sink --runtime nodejs22.x --handler index.handler \
  --role arn:aws:iam::000000000000:role/bench --zip-file "fileb://$WORK/sink.zip" --query State --output text >/dev/null
aws --endpoint-url $E lambda create-function --function-name stream-sink --runtime nodejs22.x --handler index.handler \
  --role arn:aws:iam::000000000000:role/bench --zip-file "fileb://$WORK/stream-sink.zip" --query State --output text >/dev/null
aws --endpoint-url $E sqs create-queue --queue-name bench >/dev/null
mapping() { # batch-size window -> uuid of a disabled mapping
  aws --endpoint-url $E lambda create-event-source-mapping --function-name sink --event-source-arn arn:aws:sqs:us-east-1:000000000000:bench \
    --batch-size "$1" --maximum-batching-window-in-seconds "$2" --scaling-config MaximumConcurrency=16 --no-enabled --query UUID --output text
}

# Baseline in the same run: direct SigV4 Invoke of the same function with a one-record SQS event, concurrency 16.
L="dotnet $ROOT/tests/LambdaCluster.LoadTest/bin/Release/net10.0/lambda-load.dll"
EVENT='{"Records":[{"messageId":"m","body":"{}","attributes":{"SentTimestamp":"0"},"eventSource":"aws:sqs"}]}'
printf 'baseline direct Invoke c=16: %s\n' "$($L --endpoint $E --function sink --concurrency 16 --duration 5s --warmup 1s --payload "$EVENT" | grep -E 'throughput' | tr -s ' ')"

for batch in 1 10; do
  UUID=$(mapping $batch 0)
  printf 'batch %-3s ' $batch
  node "$JS/queue-bench.mjs" $E throughput "$MESSAGES" "$UUID" 2> >(quiet)
  aws --endpoint-url $E lambda delete-event-source-mapping --uuid "$UUID" >/dev/null
done

UUID=$(mapping 1 0)
aws --endpoint-url $E lambda update-event-source-mapping --uuid "$UUID" --enabled >/dev/null
sleep 2
START=$(($(date +%s) * 1000))
node "$JS/queue-bench.mjs" $E latency 100 2> >(quiet)
sleep 1
aws --endpoint-url $E logs filter-log-events --log-group-name /aws/lambda/sink --filter-pattern lag --start-time "$START" \
  --query 'events[].message' --output text | tr '\t' '\n' | awk '/^lag /{print $2}' | sort -n | awk '
  { v[NR] = $1 } END { printf "SendMessage -> handler start, %d probes: p50 %d ms  p90 %d ms  p99 %d ms  max %d ms\n", NR, v[int(NR*0.5)+1], v[int(NR*0.9)+1], v[int(NR*0.99)+1], v[NR] }'

python3 "$ROOT/tests/LambdaCluster.LoadTest/stream-throughput.py" $E $((MESSAGES * 10)) 2
