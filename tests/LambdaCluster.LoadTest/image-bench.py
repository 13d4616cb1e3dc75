#!/usr/bin/env python3
"""A container image function next to a .zip function of the same code, in one run, on one sandboxed node:

  pull        CreateFunction of an image until the function is Active: the tag pinned, the layers pulled into the node's
              store and unpacked (the node's log line gives pull and unpack apart); --sizes gives images of that many MB
  cold start  Init Duration of a new function's first call (REPORT), and the caller's wall time of that call, for the
              image (already on the node, as on every cold start after the first) and for the zip

The code is a shell runtime of Lambda's Runtime API run by busybox-static (/var/task/busybox sh /var/task/bootstrap): the
image's ENTRYPOINT, and the zip's bootstrap (a #!/var/task/busybox sh script), so both start the same process.

    python3 tests/LambdaCluster.LoadTest/image-bench.py [--envs N] [--sizes 1,100]

Needs boto3 (the AWS CLI's python has it), a Release build (dotnet build -c Release src/Silo), root with bubblewrap and
nftables, docker-registry and busybox-static (apt). Loopback only; stops its node and registry (by pid) when done.
"""
import argparse, base64, gzip, hashlib, io, json, os, re, shutil, socket, statistics, subprocess, tarfile, tempfile, time, urllib.request, zipfile
import boto3
from botocore.config import Config

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SILO = os.path.join(ROOT, "src", "Silo", "bin", "Release", "net10.0", "LambdaCluster.Silo.dll")
ROLE = "arn:aws:iam::000000000000:role/bench"
BOOTSTRAP = """#!/var/task/busybox sh
api="http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime/invocation"
bb=/var/task/busybox
while true; do
  $bb wget -q -S -O /tmp/event "$api/next" 2>/tmp/headers
  id=$($bb grep -i 'Lambda-Runtime-Aws-Request-Id' /tmp/headers | $bb tr -d '\\r' | $bb sed 's/.*: //')
  $bb wget -q -O /dev/null --post-data '{"ok":true}' "$api/$id/response"
done
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, seconds, what):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise SystemExit(f"{what} did not happen within {seconds} s")


def start_registry(work):
    port = free_port()
    config = os.path.join(work, "registry.yml")
    with open(config, "w") as f:
        f.write(f"version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: {work}/registry\nhttp:\n  addr: 127.0.0.1:{port}\n")
    process = subprocess.Popen(["/usr/bin/docker-registry", "serve", config], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def up():
        try:
            return urllib.request.urlopen(f"http://127.0.0.1:{port}/v2/").status == 200
        except OSError:
            return False
    wait_for(up, 20, "the registry's start")
    return process, f"127.0.0.1:{port}"


def start_node(work):
    port = free_port()
    log = open(os.path.join(work, "node.log"), "w")
    process = subprocess.Popen(["dotnet", SILO, f"--Node:DataDirectory={work}/node", f"--Gateway:Url=http://127.0.0.1:{port}",
                                f"--Silo:SiloPort={free_port()}", f"--Silo:GatewayPort={free_port()}", "--Environments:PredictiveKeepWarm=false"],
                               stdout=log, stderr=subprocess.STDOUT)
    wait_for(lambda: "Lambda API listening" in open(log.name).read(), 60, "the node's start")
    client = boto3.client("lambda", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1", aws_access_key_id="test",
                          aws_secret_access_key="test", config=Config(retries={"max_attempts": 1}, read_timeout=300))
    return process, client, log.name


def tar_layer(files):
    """files: (path, bytes, mode); returns the gzip-compressed tar."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path, data, mode in files:
            info = tarfile.TarInfo(path)
            info.size, info.mode = len(data), mode
            tar.addfile(info, io.BytesIO(data))
    return raw.getvalue(), gzip.compress(raw.getvalue(), compresslevel=1)


def push(registry, repository, tag, files):
    base = f"http://{registry}/v2/{repository}"

    def blob(data):
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        started = urllib.request.urlopen(urllib.request.Request(f"{base}/blobs/uploads/", method="POST"))
        location = started.headers["Location"]
        location = location if location.startswith("http") else f"http://{registry}{location}"
        separator = "&" if "?" in location else "?"
        urllib.request.urlopen(urllib.request.Request(f"{location}{separator}digest={digest}", data=data, method="PUT",
                                                      headers={"Content-Type": "application/octet-stream"}))
        return digest

    raw, layer = tar_layer(files)
    layer_digest = blob(layer)
    config = json.dumps({"architecture": "amd64", "os": "linux",
                         "config": {"Entrypoint": ["/var/task/busybox", "sh", "/var/task/bootstrap"], "Env": ["PATH=/usr/bin:/bin"]},
                         "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(raw).hexdigest()]}}).encode()
    manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                           "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": blob(config), "size": len(config)},
                           "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": layer_digest, "size": len(layer)}]}).encode()
    urllib.request.urlopen(urllib.request.Request(f"{base}/manifests/{tag}", data=manifest, method="PUT",
                                                  headers={"Content-Type": "application/vnd.oci.image.manifest.v1+json"}))
    return f"{registry}/{repository}:{tag}", len(raw), len(layer)


def init_duration(client, name):
    started = time.perf_counter()
    answer = client.invoke(FunctionName=name, Payload=b"{}", LogType="Tail")
    wall = (time.perf_counter() - started) * 1000
    tail = base64.b64decode(answer["LogResult"]).decode()
    if answer.get("FunctionError"):
        raise SystemExit(f"{name} failed: {answer['Payload'].read()!r}\n{tail}")
    return float(re.search(r"Init Duration: ([0-9.]+) ms", tail).group(1)), wall


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--envs", type=int, default=10, help="new functions (cold starts) per kind")
    parser.add_argument("--sizes", default="1,100", help="image sizes to pull, in MB of random filler (plus busybox)")
    args = parser.parse_args()
    busybox = open("/bin/busybox", "rb").read()
    code = [("var/task/busybox", busybox, 0o755), ("var/task/bootstrap", BOOTSTRAP.encode(), 0o755)]
    work = tempfile.mkdtemp(prefix="image-bench-")
    registry, host = start_registry(work)
    node, client, log = start_node(work)
    try:
        print("| what | size (uncompressed / gzip) | pull + unpack, create → Active | node's log |")
        print("| --- | --- | --- | --- |")
        image_uri = None
        for size in [int(s) for s in args.sizes.split(",")]:
            filler = [("var/task/filler", os.urandom(size * 1024 * 1024), 0o644)] if size > 1 else []
            uri, raw, packed = push(host, f"bench/busybox-{size}", "v1", code + filler)
            image_uri = image_uri or uri
            started = time.perf_counter()
            client.create_function(FunctionName=f"pull-{size}", PackageType="Image", Code={"ImageUri": uri}, Role=ROLE)
            wait_for(lambda: client.get_function_configuration(FunctionName=f"pull-{size}")["State"] != "Pending", 300, "the pull")
            elapsed = (time.perf_counter() - started) * 1000
            line = [l for l in open(log).read().splitlines() if f"bench/busybox-{size}@" in l and "pulled" in l]
            logged = re.search(r"in ([0-9]+) ms and unpacked in ([0-9]+) ms", line[-1]) if line else None
            print(f"| image of {size} MB | {raw / 1e6:.1f} MB / {packed / 1e6:.1f} MB | {elapsed:.0f} ms | "
                  + (f"pull {logged.group(1)} ms, unpack {logged.group(2)} ms |" if logged else "- |"))

        zip_buffer = io.BytesIO()
        with zipfile.ZipFile(zip_buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
            for path, data, mode in code:
                entry = zipfile.ZipInfo(path.removeprefix("var/task/"))
                entry.external_attr = mode << 16
                entry.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(entry, data)
        rows = {"image (already on the node)": [], "zip (provided.al2023)": []}
        for i in range(args.envs):  # alternate, so that both see the same machine load
            client.create_function(FunctionName=f"cold-image-{i}", PackageType="Image", Code={"ImageUri": image_uri}, Role=ROLE)
            wait_for(lambda: client.get_function_configuration(FunctionName=f"cold-image-{i}")["State"] == "Active", 60, "Active")
            rows["image (already on the node)"].append(init_duration(client, f"cold-image-{i}"))
            client.create_function(FunctionName=f"cold-zip-{i}", Runtime="provided.al2023", Handler="x", Code={"ZipFile": zip_buffer.getvalue()}, Role=ROLE)
            rows["zip (provided.al2023)"].append(init_duration(client, f"cold-zip-{i}"))
        print()
        print(f"| cold start ({args.envs} new functions each) | Init Duration p50 / p90 ms | first call wall p50 / p90 ms |")
        print("| --- | --- | --- |")
        for kind, values in rows.items():
            inits, walls = [v[0] for v in values], [v[1] for v in values]
            print(f"| {kind} | {percentile(inits, 50):.1f} / {percentile(inits, 90):.1f} | {percentile(walls, 50):.1f} / {percentile(walls, 90):.1f} |")
    finally:
        node.terminate()
        registry.terminate()
        node.wait()
        registry.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
