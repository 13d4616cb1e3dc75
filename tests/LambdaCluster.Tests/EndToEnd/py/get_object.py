"""Writes an object's bytes to a file; exits 1 (with the error) when it cannot be read.

Usage: get_object.py ENDPOINT BUCKET KEY OUTPUT
"""
import sys

import boto3

endpoint, bucket, key, output = sys.argv[1:5]
try:
    body = boto3.client("s3", endpoint_url=endpoint).get_object(Bucket=bucket, Key=key)["Body"].read()
except Exception as error:  # NoSuchKey while the function has not run yet
    sys.stderr.write(str(error))
    sys.exit(1)
with open(output, "wb") as target:
    target.write(body)
