#!/usr/bin/env python3
"""Prints a wrk Lua script of one SigV4-signed Invoke (botocore's signer), for driving a node with wrk by hand.

Usage: wrk-invoke.py ENDPOINT FUNCTION [PAYLOAD] > invoke.lua
       wrk -t1 -c64 -d10s -s invoke.lua ENDPOINT/2015-03-31/functions/FUNCTION/invocations
The signature is good for 15 minutes (the node's SigV4 clock skew); keys test/test, region us-east-1, as the benchmarks use.
"""
import json
import sys

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

endpoint, function = sys.argv[1].rstrip("/"), sys.argv[2]
payload = sys.argv[3] if len(sys.argv) > 3 else '{"hello":"world"}'
request = AWSRequest(method="POST", url=f"{endpoint}/2015-03-31/functions/{function}/invocations", data=payload.encode(),
                     headers={"Content-Type": "application/json"})
SigV4Auth(Credentials("test", "test"), "lambda", "us-east-1").add_auth(request)
print('wrk.method = "POST"')
print(f"wrk.body = {json.dumps(payload)}")
for name, value in request.headers.items():
    print(f"wrk.headers[{json.dumps(name)}] = {json.dumps(value)}")
