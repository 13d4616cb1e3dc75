#!/usr/bin/env bash
# The one test command: installs the test clients' npm packages, builds, and runs every test tier.
# AWS's aws-lambda-ric compiles its native client (curl, aws-lambda-cpp) for minutes; that compile runs in the
# background while every other test runs, and the two tests that use it run last (EndToEnd/js/.ric-build holds its
# exit code). With arguments (a --filter, say), one run with them, after the compile.
set -euo pipefail
cd "$(dirname "$0")"
js=tests/LambdaCluster.Tests/EndToEnd/js
(cd "$js" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
rm -f "$js/.ric-build"
echo "building" > "$js/.ric-build.log"
(cd "$js" && { npm rebuild aws-lambda-ric --no-audit --no-fund --loglevel=error >> .ric-build.log 2>&1; echo $? > .ric-build.tmp; mv .ric-build.tmp .ric-build; }) &
ric=$!
dotnet build Cluster.sln -c Release
run() { dotnet test Cluster.sln -c Release --no-build --logger "console;verbosity=normal" "$@"; }
if [ $# -gt 0 ]; then
  wait "$ric" || true
  run "$@"
  exit
fi
status=0
run --filter "FullyQualifiedName!~AwsLambdaRic" || status=$?
wait "$ric" || true
run --filter "FullyQualifiedName~AwsLambdaRic" || status=$?
exit "$status"
