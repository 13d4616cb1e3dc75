"""Exercises the object API with boto3 and prints what it saw as JSON (S3Tests asserts on it): multipart uploads,
ranged reads, listing with delimiters and pages, copies with new metadata, batch deletes, and S3's errors for
missing, malformed and hostile requests.

Usage: s3_api_check.py ENDPOINT
"""
import json
import os
import sys

import boto3
import botocore.exceptions
from boto3.s3.transfer import TransferConfig

s3 = boto3.client("s3", endpoint_url=sys.argv[1])
seen = {}


def error_code(call):
    try:
        call()
        return "no error"
    except botocore.exceptions.ClientError as error:
        return error.response["Error"]["Code"] or str(error.response["ResponseMetadata"]["HTTPStatusCode"])


s3.create_bucket(Bucket="api-check")
big = os.urandom(6 * 1024 * 1024 + 123)
path = "/tmp/s3-api-check-%d" % os.getpid()
with open(path, "wb") as f:
    f.write(big)
s3.upload_file(path, "api-check", "big.bin", Config=TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024))
os.remove(path)
head = s3.head_object(Bucket="api-check", Key="big.bin")
seen["multipart"] = {"size": head["ContentLength"], "etag": head["ETag"], "same": s3.get_object(Bucket="api-check", Key="big.bin")["Body"].read() == big}
ranged = s3.get_object(Bucket="api-check", Key="big.bin", Range="bytes=10-19")
seen["range"] = {"same": ranged["Body"].read() == big[10:20], "contentRange": ranged["ContentRange"]}
seen["suffixRange"] = s3.get_object(Bucket="api-check", Key="big.bin", Range="bytes=-5")["Body"].read() == big[-5:]
seen["badRange"] = error_code(lambda: s3.get_object(Bucket="api-check", Key="big.bin", Range="bytes=%d-" % (len(big) + 5)))

for key in ["a/1.txt", "a/2.txt", "a/b/3.txt", "c.txt", "d.txt"]:
    s3.put_object(Bucket="api-check", Key=key, Body=key.encode(), Metadata={"origin": "check"}, ContentType="text/plain")
top = s3.list_objects_v2(Bucket="api-check", Delimiter="/")
seen["delimited"] = {"keys": [o["Key"] for o in top.get("Contents", [])], "prefixes": [p["Prefix"] for p in top.get("CommonPrefixes", [])]}
pages = s3.get_paginator("list_objects_v2").paginate(Bucket="api-check", Prefix="a/", PaginationConfig={"PageSize": 2})
seen["pages"] = [[o["Key"] for o in page.get("Contents", [])] for page in pages]

s3.copy_object(Bucket="api-check", Key="copied.txt", CopySource={"Bucket": "api-check", "Key": "c.txt"}, MetadataDirective="REPLACE", Metadata={"stage": "2"}, ContentType="application/json")
copied = s3.head_object(Bucket="api-check", Key="copied.txt")
seen["copy"] = {"metadata": copied["Metadata"], "contentType": copied["ContentType"], "body": s3.get_object(Bucket="api-check", Key="copied.txt")["Body"].read().decode()}

hostile = "../../etc/passwd"
s3.put_object(Bucket="api-check", Key=hostile, Body=b"just a key")
seen["hostileKey"] = s3.get_object(Bucket="api-check", Key=hostile)["Body"].read().decode()

seen["errors"] = {
    "noSuchKey": error_code(lambda: s3.get_object(Bucket="api-check", Key="missing")),
    "noSuchBucket": error_code(lambda: s3.list_objects_v2(Bucket="no-such-bucket")),
    "notEmpty": error_code(lambda: s3.delete_bucket(Bucket="api-check")),
    "exists": error_code(lambda: s3.create_bucket(Bucket="api-check")),
    "badName": error_code(lambda: s3.create_bucket(Bucket="x")),
    "keyTooLong": error_code(lambda: s3.put_object(Bucket="api-check", Key="k" * 1025, Body=b"")),
    "noSuchUpload": error_code(lambda: s3.upload_part(Bucket="api-check", Key="big.bin", UploadId="0" * 48, PartNumber=1, Body=b"x")),
    "forgedUploadId": error_code(lambda: s3.upload_part(Bucket="api-check", Key="big.bin", UploadId="../../uploads", PartNumber=1, Body=b"x")),
}
upload = s3.create_multipart_upload(Bucket="api-check", Key="ordered")["UploadId"]
first = s3.upload_part(Bucket="api-check", Key="ordered", UploadId=upload, PartNumber=1, Body=b"one")["ETag"]
second = s3.upload_part(Bucket="api-check", Key="ordered", UploadId=upload, PartNumber=2, Body=b"two")["ETag"]
seen["errors"]["partOrder"] = error_code(lambda: s3.complete_multipart_upload(Bucket="api-check", Key="ordered", UploadId=upload,
                                                                              MultipartUpload={"Parts": [{"PartNumber": 2, "ETag": second}, {"PartNumber": 1, "ETag": first}]}))
seen["errors"]["wrongPart"] = error_code(lambda: s3.complete_multipart_upload(Bucket="api-check", Key="ordered", UploadId=upload,
                                                                              MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": second}]}))
s3.abort_multipart_upload(Bucket="api-check", Key="ordered", UploadId=upload)
seen["errors"]["aborted"] = error_code(lambda: s3.upload_part(Bucket="api-check", Key="ordered", UploadId=upload, PartNumber=3, Body=b"x"))
seen["orderedExists"] = error_code(lambda: s3.head_object(Bucket="api-check", Key="ordered"))

everything = [o["Key"] for o in s3.list_objects_v2(Bucket="api-check")["Contents"]]
deleted = s3.delete_objects(Bucket="api-check", Delete={"Objects": [{"Key": k} for k in everything]})
seen["deleted"] = sorted(d["Key"] for d in deleted["Deleted"])
s3.delete_bucket(Bucket="api-check")
seen["buckets"] = [b["Name"] for b in s3.list_buckets()["Buckets"]]
print(json.dumps(seen))
