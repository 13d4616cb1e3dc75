"""Prints presigned URLs: GET of an object and PUT of another, first with S3's older query signature (boto3's default),
then with SigV4.

Usage: presign.py ENDPOINT BUCKET GET_KEY PUT_KEY
"""
import sys

import boto3
import botocore.config

endpoint, bucket, get_key, put_key = sys.argv[1:5]
for version in (None, "s3v4"):
    config = botocore.config.Config(signature_version=version) if version else None
    s3 = boto3.client("s3", endpoint_url=endpoint, config=config)
    print(s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": get_key}, ExpiresIn=300))
    print(s3.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": put_key}, ExpiresIn=300))
