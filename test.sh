#!/usr/bin/env bash
# The one test command: installs the test clients' npm packages, then builds and runs every test tier.
set -euo pipefail
cd "$(dirname "$0")"
(cd tests/LambdaCluster.Tests/EndToEnd/js && npm ci --no-audit --no-fund --loglevel=error)
dotnet test Cluster.sln -c Release --logger "console;verbosity=normal" "$@"
