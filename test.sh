#!/usr/bin/env bash
# The one test command: builds the solution while the test clients' npm packages install (aws-lambda-ric compiles
# its native client for minutes), then runs every test tier.
set -euo pipefail
cd "$(dirname "$0")"
(cd tests/LambdaCluster.Tests/EndToEnd/js && npm ci --no-audit --no-fund --loglevel=error) &
npm_install=$!
dotnet build Cluster.sln -c Release
wait "$npm_install"
dotnet test Cluster.sln -c Release --no-build --logger "console;verbosity=normal" "$@"
