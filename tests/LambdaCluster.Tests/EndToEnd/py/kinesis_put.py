"""Puts records 0..count-1 into a stream one PutRecord at a time (the order Kinesis keeps per shard), partition key
key-<n % 4>, data <n>: one process for all of them, where the aws CLI would start once per record.
Usage: kinesis_put.py <endpoint> <stream> <count>"""
import sys

import boto3
import botocore.config

endpoint, stream, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
kinesis = boto3.session.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1").client(
    "kinesis", endpoint_url=endpoint, config=botocore.config.Config(retries={"max_attempts": 1}))
for n in range(count):
    kinesis.put_record(StreamName=stream, PartitionKey=f"key-{n % 4}", Data=str(n).encode())
print("ok")
