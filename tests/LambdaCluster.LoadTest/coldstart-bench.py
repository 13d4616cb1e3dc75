#!/usr/bin/env python3
"""Cold starts side by side in one run: for a hello function and a function that loads the AWS SDK in INIT (boto3, and
@aws-sdk/client-s3, from a layer), per runtime (python3.12, nodejs22.x):

  interpreter   the bare interpreter started (and the SDK imported) by hand, no Lambda: the floor
  plain         a cold start on a node with Environments:Prestart=false (Init Duration of a new function's first call)
  pre-started   the same on a node with pre-started runtimes (the default), each new function given a waiting runtime
  snapstart     (Python) a restore of a SnapStart version into a new environment (Restore Duration), measured last
                with the pre-started node stopped

each p50/p90 over --envs new environments (default 20), plus the private memory of one environment (Private_Clean +
Private_Dirty of its processes, from smaps_rollup, summed over its control group while it is warm: pages shared with a
template or the page cache are not counted). Calls alternate between the two nodes so both see the same machine load.

    python3 tests/LambdaCluster.LoadTest/coldstart-bench.py [--envs N]

Needs boto3 (the AWS CLI's python has it), a Release build (dotnet build -c Release src/Silo), root with bubblewrap and
nftables (sandboxed nodes), and npm (installs @aws-sdk/client-s3 into a temporary folder for the Node.js SDK layer).
Loopback only; stops its nodes (by pid) when done. Takes about 10 minutes with --envs 20.
"""
import argparse, base64, glob, io, os, re, shutil, socket, statistics, subprocess, sys, tempfile, time, zipfile
import boto3
from botocore.config import Config

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SILO = os.path.join(ROOT, "src", "Silo", "bin", "Release", "net10.0", "LambdaCluster.Silo.dll")
CGROUP = "/sys/fs/cgroup/memory/lambda-cluster"
PYTHON = "/usr/bin/python3"
NODE = "/usr/bin/node"
SDK_PY_PACKAGES = ["boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six.py"]
KEEP_BOTOCORE_DATA = ["s3", "sts", "sso", "sso-oidc"]
CODE = {
    ("python3.12", "hello"): ("index.py", "def handler(event, context):\n    return {'hello': 1}\n"),
    ("python3.12", "sdk"): ("index.py", "import boto3\ns3 = boto3.client('s3', region_name='us-east-1')\n"
                                         "def handler(event, context):\n    return {'sdk': s3.meta.region_name}\n"),
    # CommonJS: as on Lambda, an ES module does not resolve packages through NODE_PATH (layers).
    ("nodejs22.x", "hello"): ("index.js", "exports.handler = async () => ({ hello: 1 });\n"),
    ("nodejs22.x", "sdk"): ("index.js", "const { S3Client } = require('@aws-sdk/client-s3');\nconst s3 = new S3Client({ region: 'us-east-1' });\n"
                                         "exports.handler = async () => ({ sdk: await s3.config.region() });\n"),
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_node(name, work, prestart):
    port = free_port()
    log = open(os.path.join(work, f"{name}.log"), "w")
    process = subprocess.Popen(["dotnet", SILO, f"--Node:DataDirectory={os.path.join(work, name)}", f"--Gateway:Url=http://127.0.0.1:{port}",
                                f"--Silo:SiloPort={free_port()}", f"--Silo:GatewayPort={free_port()}", "--Environments:RuntimeApiSlots=256",
                                f"--Environments:Prestart={'true' if prestart else 'false'}", "--Environments:PredictiveKeepWarm=false",
                                # Environments go 1 s after their call, so that the next call of a version starts a new one.
                                "--Environments:KeepWarm=00:00:01", "--Environments:LeaseHold=00:00:00.5"],
                               stdout=log, stderr=subprocess.STDOUT)
    for _ in range(300):
        time.sleep(0.1)
        if "Lambda API listening" in open(log.name).read():
            break
    client = boto3.client("lambda", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1", aws_access_key_id="test",
                          aws_secret_access_key="test", config=Config(retries={"max_attempts": 1}, read_timeout=120))
    return process, client


def zip_files(entries):
    """entries: (archive name, bytes); every file readable by the sandbox's user."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for name, data in entries:
            entry = zipfile.ZipInfo(name)
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(entry, data)
    return buffer.getvalue()


def tree(root, prefix):
    for folder, _, files in os.walk(root):
        if "__pycache__" in folder:
            continue
        for file in files:
            path = os.path.join(folder, file)
            yield prefix + os.path.relpath(path, os.path.dirname(root) if os.path.isfile(root) else root), open(path, "rb").read()


def python_sdk_layer(staging):
    """boto3 and its dependencies from the CLI's own site-packages (botocore's models trimmed to what the function uses)."""
    import boto3 as sdk
    site = os.path.dirname(os.path.dirname(sdk.__file__))
    target = os.path.join(staging, "python")
    for package in SDK_PY_PACKAGES:
        source = os.path.join(site, package)
        if os.path.isdir(source):
            shutil.copytree(source, os.path.join(target, package), ignore=shutil.ignore_patterns("__pycache__"))
        elif os.path.isfile(source):
            shutil.copy(source, target)
    data = os.path.join(target, "botocore", "data")
    for entry in os.listdir(data):
        if os.path.isdir(os.path.join(data, entry)) and entry not in KEEP_BOTOCORE_DATA:
            shutil.rmtree(os.path.join(data, entry))
    return target, zip_files((os.path.join("python", os.path.relpath(p, target)), open(p, "rb").read())
                             for p in glob.glob(os.path.join(target, "**", "*"), recursive=True) if os.path.isfile(p))


def node_sdk_layer(staging):
    folder = os.path.join(staging, "nodejs")
    os.makedirs(folder)
    subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", folder, "@aws-sdk/client-s3@3.1164.0"], check=True)
    modules = os.path.join(folder, "node_modules")
    return modules, zip_files((os.path.join("nodejs", "node_modules", os.path.relpath(p, modules)), open(p, "rb").read())
                              for p in glob.glob(os.path.join(modules, "**", "*"), recursive=True) if os.path.isfile(p))


def interpreter_start(runtime, kind, sdk_paths):
    if runtime.startswith("python"):
        command = [PYTHON, "-c", "import boto3; boto3.client('s3', region_name='us-east-1')" if kind == "sdk" else "pass"]
        environment = {"PYTHONPATH": sdk_paths["python"]} if kind == "sdk" else {}
    else:
        command = [NODE, "-e", "const { S3Client } = require('@aws-sdk/client-s3'); new S3Client({ region: 'us-east-1' })" if kind == "sdk" else "0"]
        environment = {"NODE_PATH": sdk_paths["node"]} if kind == "sdk" else {}
    started = time.perf_counter()
    subprocess.run(command, check=True, env={"PATH": "/usr/bin:/bin", **environment})
    return (time.perf_counter() - started) * 1000


def private_memory_kb(group):
    total = 0
    try:
        pids = open(os.path.join(CGROUP, group, "cgroup.procs")).read().split()
    except OSError:
        return 0
    for pid in pids:
        try:
            for line in open(f"/proc/{pid}/smaps_rollup"):
                if line.startswith(("Private_Clean:", "Private_Dirty:")):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def groups():
    """Private memory (KB) of each environment's control group on this machine."""
    return {g: private_memory_kb(g) for g in (os.listdir(CGROUP) if os.path.isdir(CGROUP) else []) if os.path.isdir(os.path.join(CGROUP, g))}


def cold_call(client, function, field):
    """One call that starts a new environment: (duration from REPORT's field, private memory of the new environment in
    MB: a group that appeared with the call, or a waiting pre-started runtime's group that grew by its INIT)."""
    before = groups()
    response = client.invoke(FunctionName=function, LogType="Tail")
    assert "FunctionError" not in response, response["Payload"].read()
    tail = base64.b64decode(response["LogResult"]).decode()
    after = groups()
    grown = [kb for g, kb in after.items() if g not in before or kb - before[g] > 512]
    memory = max(grown) / 1024 if grown else None
    match = re.search(field + r": ([\d.]+) ms", tail)
    return (float(match.group(1)) if match else None), memory


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))] if values else float("nan")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--envs", type=int, default=20, help="new environments per cell (at least 20 for the issue's figures)")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="coldstart-bench-")
    nodes = {}
    try:
        sdk_paths, layers = {}, {}
        sdk_paths["python"], layers["python3.12"] = python_sdk_layer(os.path.join(work, "py-sdk"))
        sdk_paths["node"], layers["nodejs22.x"] = node_sdk_layer(os.path.join(work, "node-sdk"))
        nodes = {"plain": start_node("plain", work, prestart=False), "pre-started": start_node("prestarted", work, prestart=True)}
        layer_arns = {}
        for label, (_, client) in nodes.items():
            for runtime, content in layers.items():
                layer_arns[(label, runtime)] = client.publish_layer_version(LayerName=f"sdk-{runtime.replace('.', '-')}", Content={"ZipFile": content},
                                                                            CompatibleRuntimes=[runtime])["LayerVersionArn"]
        rows = []
        for runtime, kind in CODE:
            file, code = CODE[(runtime, kind)]
            package = zip_files([(file, code.encode())])
            cells = {"interpreter": ([interpreter_start(runtime, kind, sdk_paths) for _ in range(args.envs)], [])}
            for label in nodes:
                cells[label] = ([], [])
            for i in range(args.envs):
                for label, (_, client) in nodes.items():
                    name = f"{kind}-{runtime.replace('.', '-')}-{i}"
                    client.create_function(FunctionName=name, Runtime=runtime, Handler="index.handler", Role="arn:aws:iam::000000000000:role/bench",
                                           Code={"ZipFile": package}, MemorySize=512, Layers=[layer_arns[(label, runtime)]] if kind == "sdk" else [])
                    duration, memory = cold_call(client, name, "Init Duration")
                    cells[label][0].append(duration)
                    if memory is not None:
                        cells[label][1].append(memory)
                time.sleep(0.6)  # the pre-started pool refills between cold starts, as between arrivals
            rows.append((runtime, kind, cells))

        # SnapStart last, on a quiet machine: the node with pre-started runtimes is stopped first (nothing refills beside
        # the restores) and only the plain node runs.
        process, _ = nodes.pop("pre-started")
        process.terminate()
        process.wait()
        for runtime, kind, cells in rows:
            if not runtime.startswith("python"):
                continue
            file, code = CODE[(runtime, kind)]
            package = zip_files([(file, code.encode())])
            _, client = nodes["plain"]
            name = f"snap-{kind}"
            client.create_function(FunctionName=name, Runtime=runtime, Handler="index.handler", Role="arn:aws:iam::000000000000:role/bench",
                                   Code={"ZipFile": package}, MemorySize=512, Layers=[layer_arns[("plain", runtime)]] if kind == "sdk" else [],
                                   SnapStart={"ApplyOn": "PublishedVersions"})
            client.publish_version(FunctionName=name)
            client.get_waiter("published_version_active").wait(FunctionName=name, Qualifier="1", WaiterConfig={"Delay": 1})
            restores, memories = [], []
            while len(restores) < args.envs:
                duration, memory = cold_call(client, f"{name}:1", "Restore Duration")
                if duration is not None:  # a call that still found a warm environment is not a restore
                    restores.append(duration)
                    if memory is not None:
                        memories.append(memory)
                time.sleep(1.8)
            cells["snapstart"] = (restores, memories)

        print(f"\n{args.envs} new environments per cell; Init Duration (Restore Duration for snapstart) from REPORT, ms; private memory of one environment, MB")
        print(f"{'runtime':<11} {'function':<6} {'start':<12} {'p50 ms':>8} {'p90 ms':>8} {'x plain':>8} {'private MB':>11}")
        for runtime, kind, cells in rows:
            plain = statistics.median(cells["plain"][0])
            for label, (durations, memories) in cells.items():
                durations = [d for d in durations if d is not None]
                p50 = statistics.median(durations) if durations else float("nan")
                memory = f"{statistics.median(memories):.1f}" if memories else "-"
                print(f"{runtime:<11} {kind:<6} {label:<12} {p50:>8.1f} {percentile(durations, 90):>8.1f} {p50 / plain:>8.2f} {memory:>11}")
    except BaseException:
        for name in ("plain", "prestarted"):
            log = os.path.join(work, f"{name}.log")
            if os.path.exists(log):
                print(f"--- the end of {log}:\n" + "".join(open(log).readlines()[-30:]), file=sys.stderr)
        raise
    finally:
        for process, _ in nodes.values():
            process.terminate()
            process.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
