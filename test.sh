#!/usr/bin/env bash
# The one test command: installs the test clients' npm packages, builds, and runs every test tier.
# AWS's aws-lambda-ric compiles its native client (curl, aws-lambda-cpp) for minutes; that compile runs in the
# background while every other test runs, and the two tests that use it run last (EndToEnd/js/.ric-build holds its
# exit code). With arguments (a --filter, say), one run with them, after the compile.
# A failed run ends with the test nodes' warnings and errors (their logs are kept in TestResults/nodes), then repeats
# each failed test's report, so the end of a long log says what failed.
set -euo pipefail
cd "$(dirname "$0")"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
js=tests/LambdaCluster.Tests/EndToEnd/js
(cd "$js" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
rm -f "$js/.ric-build"
rm -rf TestResults/nodes
echo "building" > "$js/.ric-build.log"
(cd "$js" && { npm rebuild aws-lambda-ric --no-audit --no-fund --loglevel=error >> .ric-build.log 2>&1; echo $? > .ric-build.tmp; mv .ric-build.tmp .ric-build; }) &
ric=$!
dotnet build Cluster.sln -c Release
run() { dotnet test Cluster.sln -c Release --no-build --logger "console;verbosity=normal" "$@" 2>&1 | tee -a "$log"; }
# Each "  Failed <test>" report of the console logger, up to the next test's line, at most 40 lines of it; before them,
# the nodes' warnings and errors (each with its first 3 message lines; Orleans' watchdog left out): the last 40 such
# lines of each node, the oldest log first, at most 150 lines in all.
failures() {
  echo "=== the test nodes' warnings and errors (TestResults/nodes) ==="
  for f in $(ls -tr TestResults/nodes/*.log 2>/dev/null); do
    awk -v f="${f##*/}" '/^(warn|fail|crit): /{p=($0 !~ /Orleans.Runtime.Watchdog/) ? 3 : 0; if (p) print f ": " $0; next} p && /^      /{print f ": " $0; p--; next} {p=0}' "$f" | tail -n 40
  done | tail -n 150 || true
  echo "=== failed tests ==="
  awk '/^  Failed /{p=1; n=0; f=1} /^  (Passed|Skipped) |^\[xUnit/{p=0} p && n++ < 40 {print} END {if (!f) print "(no test reported a failure: the run itself failed, see above)"}' "$log"
}

if [ $# -gt 0 ]; then
  wait "$ric" || true
  run "$@" || { status=$?; failures; exit "$status"; }
  exit
fi
status=0
run --filter "FullyQualifiedName!~AwsLambdaRic" || status=$?
wait "$ric" || true
run --filter "FullyQualifiedName~AwsLambdaRic" || status=$?
[ "$status" -eq 0 ] || failures
exit "$status"
