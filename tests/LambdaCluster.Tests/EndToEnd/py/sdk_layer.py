"""Writes a Lambda layer zip (python/...) of boto3 and its dependencies, taken from this interpreter's site-packages
(the aws CLI's), with botocore's service models trimmed to S3's: what a function needs to use S3 with boto3.

Usage: sdk_layer.py OUTPUT.zip
"""
import os
import sys
import zipfile

import boto3

PACKAGES = ["boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six.py"]
KEEP_DATA = {"s3", "sts"}


def files(site):
    for package in PACKAGES:
        source = os.path.join(site, package)
        if os.path.isfile(source):
            yield source, package
            continue
        for folder, directories, names in os.walk(source):
            directories[:] = [d for d in directories if d != "__pycache__"]
            relative = os.path.relpath(folder, site)
            parts = relative.split(os.sep)
            if parts[:2] == ["botocore", "data"] and len(parts) > 2 and parts[2] not in KEEP_DATA:
                continue
            for name in names:
                yield os.path.join(folder, name), os.path.join(relative, name)


def main(output):
    site = os.path.dirname(os.path.dirname(boto3.__file__))
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for path, name in files(site):
            info = zipfile.ZipInfo(os.path.join("python", name))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(path, "rb") as source:
                archive.writestr(info, source.read())


if __name__ == "__main__":
    main(sys.argv[1])
