"""Prepares a moto_server that checks signatures, for S3AuthenticationTests.swift.

Usage: moto_iam_setup.py ENDPOINT BUCKET KEY=TEXT...
Run while the server still accepts unauthenticated requests (INITIAL_NO_AUTH_ACTION_COUNT):
creates an IAM user allowed to read S3, its access key, the bucket and the objects, in exactly
4 + len(objects) requests, then prints {"access_key_id": ..., "secret_access_key": ...}.
"""
import json
import sys

import boto3
from botocore.config import Config

endpoint, bucket, objects = sys.argv[1], sys.argv[2], sys.argv[3:]
session = boto3.session.Session(
    aws_access_key_id="setup", aws_secret_access_key="setup", region_name="us-east-1"
)
config = Config(retries={"max_attempts": 1, "mode": "standard"}, s3={"addressing_style": "path"})
iam = session.client("iam", endpoint_url=endpoint, config=config)
s3 = session.client("s3", endpoint_url=endpoint, config=config)

iam.create_user(UserName="quarry-reader")
iam.put_user_policy(
    UserName="quarry-reader",
    PolicyName="read",
    PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
    ),
)
key = iam.create_access_key(UserName="quarry-reader")["AccessKey"]
s3.create_bucket(Bucket=bucket)
for spec in objects:
    name, _, text = spec.partition("=")
    s3.put_object(Bucket=bucket, Key=name, Body=text.encode("utf-8"), Metadata={"quarry-readers": "group:hr"})
json.dump({"access_key_id": key["AccessKeyId"], "secret_access_key": key["SecretAccessKey"]}, sys.stdout)
