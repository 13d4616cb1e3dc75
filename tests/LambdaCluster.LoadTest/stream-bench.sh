#!/usr/bin/env bash
# Response streaming and function URL figures of docs/benchmarks.md, in one run (Release build; loopback only; stops what it starts).
#   tests/LambdaCluster.LoadTest/stream-bench.sh [seconds-per-run, default 10]
# 1. time to first byte of a streamed response (SDK InvokeWithResponseStream and a RESPONSE_STREAM URL) against the whole answer
# 2. a function URL call against a direct Invoke of the same function, same load tool, same node, concurrency 1 and 16
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SECONDS_PER_RUN=${1:-10}
WORK=$(mktemp -d /tmp/lambda-stream-bench-XXXX)
L="dotnet $ROOT/tests/LambdaCluster.LoadTest/bin/Release/net10.0/lambda-load.dll"
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 AWS_MAX_ATTEMPTS=1
E=http://127.0.0.1:19700
NODE_PID=
trap '[ -n "$NODE_PID" ] && kill "$NODE_PID" 2>/dev/null || true' EXIT

dotnet build "$ROOT/Cluster.sln" -c Release -v quiet >/dev/null
(cd "$ROOT/tests/LambdaCluster.Tests/EndToEnd/js" && [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error)
(cd "$WORK" && printf 'export const handler = async () => ({ ok: true });\n' > index.mjs && zip -q const.zip index.mjs \
  && printf 'export const handler = awslambda.streamifyResponse(async (event, stream) => {\n  stream.write("first");\n  await new Promise((r) => setTimeout(r, 100));\n  stream.end("rest");\n});\n' > index.mjs && zip -q streamer.zip index.mjs)

dotnet "$ROOT/src/Silo/bin/Release/net10.0/LambdaCluster.Silo.dll" --Node:DataDirectory="$WORK/node" --Gateway:Url=$E \
  --Silo:SiloPort=19701 --Silo:GatewayPort=19702 >"$WORK/node.log" 2>&1 &
NODE_PID=$!
until grep -q "Lambda API listening" "$WORK/node.log"; do sleep 0.2; done
url_of() { # name mode -> path-based URL
  aws --endpoint-url $E lambda create-function --function-name "$1" --runtime nodejs22.x --handler index.handler \
    --role arn:aws:iam::000000000000:role/bench --zip-file "fileb://$WORK/$3" --query State --output text >/dev/null
  aws --endpoint-url $E lambda add-permission --function-name "$1" --statement-id public-url --action lambda:InvokeFunctionUrl \
    --principal '*' --function-url-auth-type NONE >/dev/null
  local id; id=$(aws --endpoint-url $E lambda create-function-url-config --function-name "$1" --auth-type NONE --invoke-mode "$2" \
    --query FunctionUrl --output text | sed -E 's#https?://([a-z0-9]+)\..*#\1#')
  echo "/_lambda/url/$id/"
}
STREAM_PATH=$(url_of streamer RESPONSE_STREAM streamer.zip)
CONST_PATH=$(url_of const BUFFERED const.zip)

echo "== time to first byte (function writes 'first', waits 100 ms, writes 'rest')"
node "$ROOT/tests/LambdaCluster.Tests/EndToEnd/js/stream-ttfb.mjs" $E streamer "$E$STREAM_PATH" 200 2> >(grep -v -i -E "warn|node >=|versions pub|will req|continue rec|security up|a.co/|^$" >&2)

echo "== function URL against direct Invoke (same function, same tool, ${SECONDS_PER_RUN}s each after 2s warm-up)"
for c in 1 16; do
  for way in invoke url; do
    extra=(); [ "$way" = url ] && extra=(--raw-path "$CONST_PATH")
    printf '%-22s %s\n' "$way c=$c" "$($L --endpoint $E --function const "${extra[@]}" --concurrency $c --duration "${SECONDS_PER_RUN}s" --warmup 2s --payload '{}' \
      | grep -E 'throughput|latency|errors' | tr -s ' ' | tr '\n' ' ')"
  done
done
