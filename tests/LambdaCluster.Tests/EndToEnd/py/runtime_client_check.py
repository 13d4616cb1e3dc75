"""The Node.js and Python runtime clients complete invocations as AWS's do (aws-lambda-nodejs-runtime-interface-client,
aws-lambda-python-runtime-interface-client), checked through boto3's Invoke with the log tail.

Usage: runtime_client_check.py ENDPOINT WORK_DIRECTORY. Prints "ok" and exits 0, or raises with what differed.
"""
import base64
import io
import json
import os
import sys
import time
import zipfile

import boto3
import botocore.config

endpoint, work = sys.argv[1], sys.argv[2]
session = boto3.session.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1")
lam = session.client("lambda", endpoint_url=endpoint, config=botocore.config.Config(retries={"max_attempts": 1}, read_timeout=60))


def package(name, text):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        entry = zipfile.ZipInfo(name)
        entry.external_attr = 0o644 << 16
        archive.writestr(entry, text)
    return buffer.getvalue()


def create(name, runtime, file, text):
    lam.create_function(FunctionName=name, Runtime=runtime, Role="arn:aws:iam::000000000000:role/r", Handler=file.split(".")[0] + ".handler",
                        Code={"ZipFile": package(file, text)}, Timeout=10)


def invoke(name, payload):
    started = time.monotonic()
    answer = lam.invoke(FunctionName=name, Payload=json.dumps(payload).encode(), LogType="Tail")
    return answer, answer["Payload"].read().decode(), base64.b64decode(answer["LogResult"]).decode(), time.monotonic() - started


def equal(expected, actual, what):
    if expected != actual:
        raise AssertionError(f"{what}: expected {expected!r}, got {actual!r}")


# A callback answers once the event loop is empty (callbackWaitsForEmptyEventLoop is true by default): the timer the
# handler left runs inside the invocation.
create("rc-callback", "nodejs22.x", "index.js",
       "exports.handler = (e, c, cb) => { setTimeout(() => console.log('late'), 1500); cb(null, 'answered'); };\n")
answer, body, tail, took = invoke("rc-callback", {})
equal('"answered"', body, "callback response")
assert took >= 1.4, f"answered after {took:.2f} s, before the handler's timer ran"
assert "late" in tail.split("END RequestId")[0], tail

# With the flag off, the callback answers at once.
create("rc-callback-now", "nodejs22.x", "index.js",
       "exports.handler = (e, c, cb) => { c.callbackWaitsForEmptyEventLoop = false; setTimeout(() => {}, 3000); cb(null, 'now'); };\n")
invoke("rc-callback-now", {})  # warm: the timing below is the invocation's, not a cold start's
answer, body, tail, took = invoke("rc-callback-now", {})
equal('"now"', body, "callback without waiting")
assert took < 2.5, f"answered after {took:.2f} s"

# A handler that neither returns a promise nor calls back is answered null once nothing is left to run; its return
# value is ignored.
create("rc-sync", "nodejs22.x", "index.js", "exports.handler = (e, c, cb) => { setTimeout(() => console.log('tick'), 200); return { ignored: true }; };\n")
answer, body, tail, took = invoke("rc-sync", {})
equal("null", body, "handler that never calls back")
assert "tick" in tail, tail

# A rejection a finished handler left behind: its invocation keeps its answer, the runtime restarts, and the next
# call, made at once, is served (by a new runtime).
create("rc-rejection", "nodejs22.x", "index.mjs",
       "async function side() { throw new Error('x'); }\nexport const handler = async (e) => { if (e.audit) side(); return { ok: true }; };\n")
first, first_body, first_tail, _ = invoke("rc-rejection", {"audit": True})
second, second_body, second_tail, _ = invoke("rc-rejection", {})
equal(('{"ok":true}', None), (first_body, first.get("FunctionError")), "the invocation that left the rejection")
assert "Unhandled Promise Rejection" in first_tail, first_tail
equal(('{"ok":true}', None), (second_body, second.get("FunctionError")), "the next, unrelated invocation")

# Python: a Decimal keeps every digit.
create("rc-decimal", "python3.12", "index.py",
       "from decimal import Decimal\ndef handler(e, c):\n    return {'pi': Decimal('3.14159265358979323846264338327950288'), 'big': Decimal('1E+2')}\n")
answer, body, tail, took = invoke("rc-decimal", {})
equal('{"pi": 3.14159265358979323846264338327950288, "big": 1E+2}', body, "Decimals")

# LoggingConfig JSON: application and platform logs become JSON records, below-level records are dropped, and the
# logs go to the configured log group.
logs = session.client("logs", endpoint_url=endpoint, config=botocore.config.Config(retries={"max_attempts": 1}))
logging_config = {"LogFormat": "JSON", "ApplicationLogLevel": "INFO", "LogGroup": "/custom/rc-json"}
lam.create_function(FunctionName="rc-json-node", Runtime="nodejs22.x", Role="arn:aws:iam::000000000000:role/r", Handler="index.handler",
                    Code={"ZipFile": package("index.mjs", "export const handler = async () => { console.debug('hidden'); console.log('shown', 1); console.warn({ k: 'v' }); return 1; };\n")},
                    LoggingConfig=logging_config)
equal({"LogFormat": "JSON", "ApplicationLogLevel": "INFO", "SystemLogLevel": "INFO", "LogGroup": "/custom/rc-json"},
      lam.get_function_configuration(FunctionName="rc-json-node")["LoggingConfig"], "LoggingConfig as stored")
answer, body, tail, took = invoke("rc-json-node", {})
records = [json.loads(line) for line in tail.strip().split("\n")]
equal(["platform.start", None, None, "platform.report"], [r.get("type") for r in records], "record types")
equal([("INFO", "shown 1"), ("WARN", {"k": "v"})], [(r["level"], r["message"]) for r in records[1:3]], "application records")
equal(records[0]["record"]["requestId"], records[1]["requestId"], "the application record's requestId")
equal("success", records[3]["record"]["status"], "platform.report status")
assert "initDurationMs" in records[3]["record"]["metrics"], records[3]
grouped = [json.loads(e["message"]) for e in logs.filter_log_events(logGroupName="/custom/rc-json")["events"]]
equal("platform.initStart", grouped[0]["type"], "the custom log group's first record")
equal(("on-demand", "rc-json-node"), (grouped[0]["record"]["initializationType"], grouped[0]["record"]["functionName"]), "platform.initStart")
assert any(r.get("message") == "shown 1" for r in grouped), grouped

lam.create_function(FunctionName="rc-json-python", Runtime="python3.12", Role="arn:aws:iam::000000000000:role/r", Handler="index.handler",
                    Code={"ZipFile": package("index.py", "import logging\nlog = logging.getLogger()\ndef handler(e, c):\n    log.debug('hidden')\n    log.info('shown %d', 2, extra={'order': 7})\n    return 2\n")},
                    LoggingConfig={"LogFormat": "JSON"})
answer, body, tail, took = invoke("rc-json-python", {})
records = [json.loads(line) for line in tail.strip().split("\n")]
application = [r for r in records if "level" in r]
equal([("INFO", "shown 2", "root", 7)], [(r["level"], r["message"], r["logger"], r.get("order")) for r in application], "Python's records")
assert application[0]["requestId"] == records[-1]["record"]["requestId"], records

lam.update_function_configuration(FunctionName="rc-json-python", LoggingConfig={"LogFormat": "Text"})
equal({"LogFormat": "Text", "LogGroup": "/aws/lambda/rc-json-python"}, lam.get_function_configuration(FunctionName="rc-json-python")["LoggingConfig"], "back to Text")
try:
    lam.update_function_configuration(FunctionName="rc-json-python", LoggingConfig={"ApplicationLogLevel": "DEBUG"})
    raise AssertionError("a level with Text was accepted")
except lam.exceptions.InvalidParameterValueException:
    pass

# Node.js runs with Lambda's options: global.gc, and a V8 heap sized from the memory (a tenth young, the rest old).
lam.create_function(FunctionName="rc-node-options", Runtime="nodejs22.x", Role="arn:aws:iam::000000000000:role/r", Handler="index.handler",
                    Code={"ZipFile": package("index.js", "exports.handler = async () => { global.gc(); return process.execArgv; };\n")},
                    MemorySize=512)
equal(["--expose-gc", "--max-http-header-size=81920", "--max-semi-space-size=25", "--max-old-space-size=461"],
      json.loads(invoke("rc-node-options", {})[1]), "Node.js's options at 512 MB")

# Hostile log group names ("." and ".." match the model's pattern) stay log groups: deleting them deletes nothing else.
lam.create_function(FunctionName="rc-dots", Runtime="python3.12", Role="arn:aws:iam::000000000000:role/r", Handler="index.handler",
                    Code={"ZipFile": package("index.py", "def handler(e, c):\n    print('in the dots group')\n    return 1\n")},
                    LoggingConfig={"LogFormat": "Text", "LogGroup": ".."})
invoke("rc-dots", {})
assert any("in the dots group" in e["message"] for e in logs.filter_log_events(logGroupName="..")["events"])
logs.delete_log_group(logGroupName="..")
logs.create_log_group(logGroupName=".")
logs.delete_log_group(logGroupName=".")
assert logs.filter_log_events(logGroupName="/custom/rc-json")["events"], "another group's logs survive"
equal("rc-dots", lam.get_function(FunctionName="rc-dots")["Configuration"]["FunctionName"], "the node's state survives")
equal("1", invoke("rc-dots", {})[1], "the function still runs")

print("ok")
