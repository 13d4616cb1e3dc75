#!/usr/bin/env python3
"""What the sandbox costs, side by side in one run: two nodes of the same build, one with Environments:Isolation=Sandbox
(the default) and one with Isolation=None, on loopback. For Python and Node.js hello functions it reports, per node, the
median Init Duration (from REPORT) and client-observed latency of cold invocations (each a new function), then the
warm p50/p99 of sequential invocations. Cold calls alternate between the nodes so both see the same machine load.

    python3 tests/LambdaCluster.LoadTest/sandbox-bench.py [--cold N] [--warm N]

Needs boto3 (the AWS CLI's python has it), a Release build (dotnet build -c Release), and root with bubblewrap and
nftables for the sandboxed node. Stops its nodes (by pid) when done; bounded by --cold and --warm.
"""
import argparse, base64, io, os, re, shutil, socket, statistics, subprocess, sys, tempfile, time, zipfile
import boto3
from botocore.config import Config

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SILO = os.path.join(ROOT, "src", "Silo", "bin", "Release", "net10.0", "LambdaCluster.Silo.dll")
CODE = {
    "python3.12": ("index.handler", "index.py", "def handler(event, context):\n    return {'hello': event.get('n')}\n"),
    "nodejs22.x": ("index.handler", "index.mjs", "export const handler = async (event) => ({ hello: event.n });\n"),
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_node(isolation, work):
    port = free_port()
    data = os.path.join(work, isolation)
    log = open(os.path.join(work, f"{isolation}.log"), "w")
    process = subprocess.Popen(["dotnet", SILO, f"--Node:DataDirectory={data}", f"--Gateway:Url=http://127.0.0.1:{port}",
                                f"--Silo:SiloPort={free_port()}", f"--Silo:GatewayPort={free_port()}",
                                f"--Environments:Isolation={isolation}", "--Environments:RuntimeApiSlots=256"], stdout=log, stderr=subprocess.STDOUT)
    for _ in range(300):
        time.sleep(0.1)
        if "Lambda API listening" in open(log.name).read():
            break
    client = boto3.client("lambda", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1", aws_access_key_id="test",
                          aws_secret_access_key="test", config=Config(retries={"max_attempts": 1}, read_timeout=60))
    return process, client


def package(runtime):
    handler, name, code = CODE[runtime]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        entry = zipfile.ZipInfo(name)
        entry.external_attr = 0o644 << 16  # writestr's default is 0600, which Lambda's user (and the sandbox's) cannot read
        z.writestr(entry, code)
    return handler, buffer.getvalue()


def invoke(client, name, tail=False):
    started = time.perf_counter()
    response = client.invoke(FunctionName=name, Payload=b'{"n":1}', LogType="Tail" if tail else "None")
    elapsed = (time.perf_counter() - started) * 1000
    assert "FunctionError" not in response, response["Payload"].read()
    log = base64.b64decode(response.get("LogResult", "")).decode()
    init = re.search(r"Init Duration: ([0-9.]+) ms", log)
    return elapsed, float(init.group(1)) if init else None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cold", type=int, default=15, help="cold invocations per runtime and node")
    parser.add_argument("--warm", type=int, default=300, help="warm invocations per runtime and node")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="sandbox-bench-")
    nodes = {}
    try:
        for isolation in ("Sandbox", "None"):
            nodes[isolation] = start_node(isolation, work)
        print(f"{'runtime':<11} {'isolation':<9} {'cold: init p50':>15} {'cold: call p50':>15} {'warm p50':>9} {'warm p99':>9}")
        for runtime in CODE:
            handler, zipped = package(runtime)
            cold = {isolation: [] for isolation in nodes}
            for i in range(args.cold):
                for isolation, (_, client) in nodes.items():
                    name = f"cold-{runtime.replace('.', '-')}-{i}"
                    client.create_function(FunctionName=name, Runtime=runtime, Handler=handler, Role="arn:aws:iam::000000000000:role/r", Code={"ZipFile": zipped})
                    client.get_waiter("function_active_v2").wait(FunctionName=name)
                    cold[isolation].append(invoke(client, name, tail=True))
            for isolation, (_, client) in nodes.items():
                name = f"cold-{runtime.replace('.', '-')}-0"
                warm = sorted(invoke(client, name)[0] for _ in range(args.warm))
                inits = [i for _, i in cold[isolation] if i is not None]
                calls = [c for c, _ in cold[isolation]]
                print(f"{runtime:<11} {isolation:<9} {statistics.median(inits):>12.1f} ms {statistics.median(calls):>12.1f} ms "
                      f"{warm[len(warm) // 2]:>6.2f} ms {warm[int(len(warm) * 0.99)]:>6.2f} ms")
    finally:
        for process, _ in nodes.values():
            process.terminate()
        for process, _ in nodes.values():
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
