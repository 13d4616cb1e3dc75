#!/usr/bin/env python3
"""Hostile-input fuzz of every endpoint, bounded and on loopback only.

Starts its own node (a Release build, on a temporary data directory and free loopback ports), seeds a function, a
layer, a queue and a stream, then sends --requests generated requests (default 10,000) over every operation of the
Lambda, CloudWatch Logs, SQS and Kinesis service models botocore carries (the same models the AWS CLI and SDKs use),
served or not. Every request is built to be refused: identifiers that name nothing or are malformed, missing or
mistyped members, malformed JSON, invalid UTF-8, deeply nested JSON, oversized bodies and headers, bad or missing
signatures. It reports the status codes seen, the 5xx count, whether the node stayed up, and whether anything it
stores changed (functions, versions, aliases, layers, queues, streams, mappings, log groups): expected 0, up, none.
While it runs, slow clients hold connections open with half-sent headers.

    python3 tests/LambdaCluster.LoadTest/fuzz.py [--requests N] [--seed S] [--workers W]

Needs botocore and boto3 (the AWS CLI's python has them) and `dotnet build -c Release`. Exits non-zero on any 5xx,
crash or state change. Stops its node (by pid) when done.
"""
import argparse, base64, signal, concurrent.futures, http.client, io, json, os, random, shutil, socket, string, subprocess, sys, tempfile, threading, time, urllib.parse, zipfile
import boto3, botocore.session
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SILO = os.path.join(ROOT, "src", "Silo", "bin", "Release", "net10.0", "LambdaCluster.Silo.dll")
ACCOUNT = "000000000000"
CREDENTIALS = Credentials("test", "test")
SERVICES = {"lambda": "lambda", "logs": "logs", "sqs": "sqs", "kinesis": "kinesis"}
SEEDED = {"function": "fuzz-target", "layer": "fuzz-layer", "queue": "fuzz-queue", "stream": "fuzz-stream"}

# Identifiers that name nothing here, or are malformed: a mutating operation is never given an existing resource.
HOSTILE_NAMES = [
    "", " ", "a" * 65, "a" * 300, "a" * 5000, "../../etc/passwd", "..", ".", "%00", "%ff%fe", "\u540d\u524d", "\U0001F600",
    "nope", "fuzz-target-gone", "arn:aws:lambda:us-east-1:000000000000:function:gone", "arn:aws:lambda:ap-southeast-1:000000000000:function:x",
    "arn:aws:lambda:us-east-1:111111111111:function:x", "000000000000:function:gone:1:2:3", "gone:$LATEST", "gone:alias:extra",
    "-1", "0", "99999999999999999999", "null", "true", "{}", "[]", "<script>", "' OR 1=1 --", "\\", "a/b", "a?b", "a#b", "\t", "\r\n",
]
HOSTILE_VALUES = [
    None, True, False, 0, -1, 2 ** 63, -(2 ** 63), 1.5e308, "", "x" * 70000, "\u0000", "\ud800", [], {}, [[]], {"a": {"b": {}}},
    "not-an-enum", "arn:aws:iam::000000000000:role/", "rate(0 minutes)", "-5", "NaN",
]
HEADER_MUTATIONS = [
    ("X-Amz-Invocation-Type", "Sideways"), ("X-Amz-Log-Type", "Everything"), ("X-Amz-Client-Context", "!!not base64!!"),
    ("X-Amz-Client-Context", base64.b64encode(b"[" * 5000).decode()), ("X-Amz-Client-Context", "A" * 60000),
    ("Content-Type", "text/plain; charset=utf-16"), ("Content-Type", "application/x-amz-json-1.1"), ("X-Amz-Target", "Nope.Nothing"),
    ("X-Fuzz", "v" * 16000), ("X-Amz-Trace-Id", "Root=" + "1" * 2000), ("Content-Encoding", "gzip"),
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Node:
    """The node under test: its own process on loopback ports and a temporary data directory."""

    def __init__(self, work, silo):
        self.port = free_port()
        self.log = os.path.join(work, "node.log")
        self.process = subprocess.Popen(
            ["dotnet", silo, f"--Node:DataDirectory={os.path.join(work, 'data')}", f"--Gateway:Url=http://127.0.0.1:{self.port}",
             f"--Silo:SiloPort={free_port()}", f"--Silo:GatewayPort={free_port()}", "--Environments:RuntimeApiSlots=64"],
            stdout=open(self.log, "w"), stderr=subprocess.STDOUT)
        for _ in range(300):
            time.sleep(0.1)
            if "Lambda API listening" in open(self.log).read():
                return
        raise RuntimeError("the node did not start: " + open(self.log).read()[-2000:])

    def client(self, service):
        return boto3.client(service, endpoint_url=f"http://127.0.0.1:{self.port}", region_name="us-east-1", aws_access_key_id="test",
                            aws_secret_access_key="test", config=Config(retries={"max_attempts": 1}))

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.process.kill()


def seed(node):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        entry = zipfile.ZipInfo("index.py")
        entry.external_attr = 0o644 << 16  # readable by the sandbox's user
        z.writestr(entry, "def handler(event, context):\n    return event\n")
    lam = node.client("lambda")
    lam.create_function(FunctionName=SEEDED["function"], Runtime="python3.12", Handler="index.handler", Role=f"arn:aws:iam::{ACCOUNT}:role/r", Code={"ZipFile": buffer.getvalue()})
    lam.get_waiter("function_active_v2").wait(FunctionName=SEEDED["function"])
    lam.publish_version(FunctionName=SEEDED["function"])
    lam.create_alias(FunctionName=SEEDED["function"], Name="live", FunctionVersion="1")
    lam.publish_layer_version(LayerName=SEEDED["layer"], Content={"ZipFile": buffer.getvalue()})
    lam.invoke(FunctionName=SEEDED["function"], Payload=b"{}")
    node.client("sqs").create_queue(QueueName=SEEDED["queue"])
    node.client("kinesis").create_stream(StreamName=SEEDED["stream"], ShardCount=1)


def snapshot(node):
    """What the node stores, read through its APIs, without timestamps that reads do not change anyway."""
    lam, sqs, kinesis, logs = node.client("lambda"), node.client("sqs"), node.client("kinesis"), node.client("logs")
    functions = lam.list_functions(FunctionVersion="ALL")["Functions"]
    state = {
        "functions": sorted(json.dumps(f, sort_keys=True, default=str) for f in functions),
        "aliases": {f["FunctionName"]: lam.list_aliases(FunctionName=f["FunctionName"])["Aliases"] for f in functions},
        "layers": lam.list_layers()["Layers"],
        "mappings": lam.list_event_source_mappings()["EventSourceMappings"],
        "queues": sqs.list_queues().get("QueueUrls", []),
        "streams": kinesis.list_streams()["StreamNames"],
        "logGroups": [g["logGroupName"] for g in logs.describe_log_groups()["logGroups"]],
    }
    for f in functions:
        name = f["FunctionName"]
        for read in (lambda: lam.get_function_concurrency(FunctionName=name), lambda: lam.list_function_url_configs(FunctionName=name),
                     lambda: lam.list_function_event_invoke_configs(FunctionName=name)):
            try:
                result = read()
                result.pop("ResponseMetadata", None)
                state.setdefault(name, []).append(result)
            except Exception as e:  # an operation the node answers with an error is part of the state too
                state.setdefault(name, []).append(type(e).__name__)
    return json.loads(json.dumps(state, default=str))


class Generator:
    """Requests for every operation of the four models, each with at least one thing that must get it refused."""

    def __init__(self):
        self.rng = random.Random()
        session = botocore.session.get_session()
        self.operations = [(service, session.get_service_model(service).operation_model(name))
                           for service in SERVICES for name in session.get_service_model(service).operation_names]

    def request(self, rng):
        """The request <rng> picks (one Random per request, so a run is reproducible whatever the threads do)."""
        self.rng = rng
        service, operation = self.rng.choice(self.operations)
        mutating = not operation.name.startswith(("Get", "List", "Describe", "Receive", "Invoke", "Filter"))
        method, path, query, headers, body = self.build(service, operation, mutating)
        for name, value in self.rng.sample(HEADER_MUTATIONS, self.rng.choice([0, 0, 1, 2])):
            headers[name] = value
        # HTTP carries header bytes, not text: lone surrogates and the like go as the bytes they encode to.
        headers = {name: str(value).encode("utf-8", "surrogatepass").decode("latin-1") for name, value in headers.items()}
        return service, operation.name, method, path, query, headers, body

    def build(self, service, operation, mutating):
        http = operation.http
        members = operation.input_shape.members if operation.input_shape else {}
        required = operation.input_shape.required_members if operation.input_shape else []
        if service == "lambda":
            method, uri = http["method"], http["requestUri"]
            path, _, fixed_query = uri.partition("?")
            query, headers, body = {}, {}, {}
            for name, shape in members.items():
                location, wire = shape.serialization.get("location"), shape.serialization.get("name", name)
                if location == "uri":
                    value = self.identifier(mutating, wire)
                    path = path.replace("{" + wire + "+}", urllib.parse.quote(value, safe="")).replace("{" + wire + "}", urllib.parse.quote(value, safe=""))
                elif location == "querystring" and self.rng.random() < 0.3:
                    query[wire] = str(self.rng.choice(HOSTILE_VALUES + ["1", "10000", "ALL"]))
                elif location == "header" and self.rng.random() < 0.2:
                    headers[wire] = str(self.rng.choice(HOSTILE_VALUES))[:8000]
                elif location is None:
                    body[name] = self.value(shape)
            if fixed_query:
                query.update(urllib.parse.parse_qsl(fixed_query, keep_blank_values=True))
            in_body = [name for name in required if members[name].serialization.get("location") is None]
            raw = self.body(body, in_body, members, mutating)
            headers.setdefault("Content-Type", "application/json")
            return method, path, query, headers, raw
        target = {"logs": "Logs_20140328", "sqs": "AmazonSQS", "kinesis": "Kinesis_20131202"}[service]
        version = {"logs": "1.1", "sqs": "1.0", "kinesis": "1.1"}[service]
        body = {name: self.value(shape) for name, shape in members.items() if self.rng.random() < 0.6}
        for name in required:
            if name in body and self.rng.random() < 0.5 and "Name" in name:
                body[name] = self.identifier(mutating, name)
        path = f"/{ACCOUNT}/{SEEDED['queue']}" if service == "sqs" and self.rng.random() < 0.2 else "/"
        headers = {"X-Amz-Target": f"{target}.{operation.name}", "Content-Type": f"application/x-amz-json-{version}"}
        return "POST", path, {}, headers, self.body(body, required, members, mutating)

    def identifier(self, mutating, member):
        if not mutating and self.rng.random() < 0.5:
            return self.rng.choice(list(SEEDED.values()) + [f"{SEEDED['function']}:live", f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:{SEEDED['function']}"])
        return self.rng.choice(HOSTILE_NAMES)

    def value(self, shape, depth=0):
        if self.rng.random() < 0.35 or depth > 3:
            return self.rng.choice(HOSTILE_VALUES)
        kind = shape.type_name
        if kind == "structure":
            return {name: self.value(member, depth + 1) for name, member in list(shape.members.items())[:6] if self.rng.random() < 0.5}
        if kind == "list":
            return [self.value(shape.member, depth + 1) for _ in range(self.rng.choice([0, 1, 3]))]
        if kind == "map":
            return {self.rng.choice(["k", "", "x" * 300]): self.value(shape.value, depth + 1)}
        if kind in ("integer", "long"):
            return self.rng.choice([-1, 0, 2 ** 31, 10 ** 12])
        if kind == "boolean":
            return self.rng.choice([True, "yes"])
        if kind == "blob":
            return self.rng.choice(["!!", "AAAA", base64.b64encode(os.urandom(16)).decode()])
        if kind == "string" and shape.enum:
            return self.rng.choice(shape.enum + ["Bogus"])
        return "".join(self.rng.choice(string.printable) for _ in range(self.rng.choice([0, 1, 12, 300])))

    def body(self, body, required, members, must_be_refused):
        """The request body; when it must be refused, with a required member dropped or mistyped (or not JSON at all)."""
        roll = self.rng.random()
        if roll < 0.08:
            return b"\xff\xfe\xfd{" + os.urandom(64)  # invalid UTF-8
        if roll < 0.14:
            return b"[" * 100_000 + b"]" * 100_000  # deeply nested JSON
        if roll < 0.18:
            return b'{"a":' * 5000 + b"1" + b"}" * 5000
        if roll < 0.24:
            return json.dumps(body, default=str).encode()[: self.rng.randint(0, 40)]  # truncated
        if roll < 0.27:
            return b'{"FunctionName":"' + b"x" * (7 * 1024 * 1024) + b'"}'  # beyond every body limit
        if must_be_refused:
            # A mutating call: drop or mistype a required member, so it can never succeed (without one, an identifier in
            # its path names nothing).
            if required:
                victim = self.rng.choice(required)
                if self.rng.random() < 0.5:
                    body.pop(victim, None)
                else:
                    body[victim] = self.rng.choice([12345, [], {"nested": True}, None])
        return json.dumps(body, default=str).encode()


def send(port, service, method, path, query, headers, body, sign):
    url = f"http://127.0.0.1:{port}{path}" + (("?" + urllib.parse.urlencode(query, errors="surrogatepass")) if query else "")
    request = AWSRequest(method=method, url=url, data=body, headers=dict(headers))
    if sign:
        SigV4Auth(CREDENTIALS, service, "us-east-1").add_auth(request)
    prepared = request.prepare()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.putrequest(method, prepared.url[len(f"http://127.0.0.1:{port}"):], skip_accept_encoding=True)
        for name, value in prepared.headers.items():
            connection.putheader(name, value)
        if "Content-Length" not in prepared.headers:
            connection.putheader("Content-Length", str(len(body)))
        try:
            connection.endheaders(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the node answered (413, 431, 403) and closed before reading all of a large body: its answer is still there
        response = connection.getresponse()
        response.read()
        return response.status
    except (ConnectionError, http.client.HTTPException, socket.timeout) as e:
        return f"connection: {type(e).__name__}" + (f" (body {len(body)} bytes)" if len(body) > 1_000_000 else "")
    finally:
        connection.close()


def slow_clients(port, count, stop):
    """Connections that send half a request line and then a byte now and then (slowloris)."""
    sockets = []
    for _ in range(count):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(b"POST /2015-03-31/functions HTTP/1.1\r\nHost: x\r\n")
        sockets.append(s)
    while not stop.wait(1):
        for s in sockets:
            try:
                s.sendall(b"X-Slow: 1\r\n")
            except OSError:
                pass
    closed = 0
    for s in sockets:
        try:
            s.settimeout(0.1)
            s.recv(1)  # a 408 or the end of the stream: the node let go of it
            closed += 1
        except (OSError, socket.timeout):
            pass
        s.close()
    return closed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--silo", default=SILO, help="the node's LambdaCluster.Silo.dll (default: the Release build)")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # a timeout's SIGTERM still stops the node (finally below)
    work = tempfile.mkdtemp(prefix="lambda-fuzz-")
    node = Node(work, args.silo)
    try:
        seed(node)
        before = snapshot(node)
        generator = Generator()
        lock = threading.Lock()

        def one(index):
            rng = random.Random(f"{args.seed}:{index}")
            with lock:
                request = generator.request(rng)
            service, operation, method, path, query, headers, body = request
            return (service, operation, method, path), send(node.port, service, method, path, query, headers, body, sign=rng.random() > 0.1)

        stop = threading.Event()
        with concurrent.futures.ThreadPoolExecutor(args.workers + 1) as pool:
            slow = pool.submit(slow_clients, node.port, 20, stop)
            started = time.monotonic()
            try:
                statuses = list(pool.map(one, range(args.requests)))
            finally:
                stop.set()
            elapsed = time.monotonic() - started
            slow_closed = slow.result()
        counts = {}
        failures = []
        for (service, operation, method, path), status in statuses:
            counts[status] = counts.get(status, 0) + 1
            if not isinstance(status, int) or status >= 500:
                failures.append(f"{status} {service} {operation} {method} {path[:120]}")
        alive = node.process.poll() is None
        after = snapshot(node) if alive else None
        changed = [key for key in before if after is None or before[key] != after.get(key)]
        print(f"{len(statuses)} requests over {len(generator.operations)} operations in {elapsed:.1f} s (seed {args.seed})")
        print("status codes: " + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items(), key=lambda kv: str(kv[0]))))
        print(f"5xx or dropped: {len(failures)}; node up: {alive}; state changed: {', '.join(changed) or 'none'}; slow clients closed by the node: {slow_closed}/20")
        for failure in failures[:20]:
            print("  " + failure)
        if failures:
            # What the node logged about them (the first lines of each distinct exception).
            log = open(node.log, errors="replace").read().splitlines()
            seen = set()
            for i, line in enumerate(log):
                if "Exception:" in line and line.strip() not in seen:
                    seen.add(line.strip())
                    print("  node: " + " | ".join(l.strip() for l in log[i:i + 4])[:600])
        for key in changed[:5]:
            print(f"  {key}: before {json.dumps(before[key])[:400]}\n  {key}: after  {json.dumps((after or {}).get(key))[:400]}")
        return 0 if not failures and alive and not changed else 1
    finally:
        node.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
