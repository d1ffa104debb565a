"""Helpers for the S3 incremental-sync benchmark, against a moto_server on loopback.

    s3_bucket.py fill ENDPOINT BUCKET COUNT   # COUNT small Markdown objects with readers metadata
    s3_bucket.py walk ENDPOINT BUCKET HEAD    # the peer floor: list every key (and HEAD each if HEAD=1)

`walk` is the least any tool must do to learn that nothing changed: ListObjectsV2 pages of 1,000
keys, plus one HeadObject per key when per-object metadata (Quarry's readers) must be read. It
prints `walk seconds=S keys=N heads=H`.
"""
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config


def client(endpoint):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="AKIDBENCH",
        aws_secret_access_key="bench-secret",
        config=Config(max_pool_connections=16, retries={"max_attempts": 3}),
    )


def fill(endpoint, bucket, count):
    s3 = client(endpoint)
    s3.create_bucket(Bucket=bucket)

    def put(index):
        team = ["finance", "hr", "engineering", "sales"][index % 4]
        body = (
            f"# Note {index}\n\nTeam {team} note number {index}. The review of item {index} is due in "
            f"week {index % 52 + 1}, owned by person {index % 311}.\n"
        )
        s3.put_object(
            Bucket=bucket,
            Key=f"notes/{team}/{index:05d}.md",
            Body=body.encode(),
            Metadata={"quarry-readers": "everyone" if index % 3 else f"group:{team}"},
        )

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(put, range(count)))


def walk(endpoint, bucket, head):
    s3 = client(endpoint)
    start = time.perf_counter()
    keys = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, PaginationConfig={"PageSize": 1000}):
        keys += [item["Key"] for item in page.get("Contents", [])]
    heads = 0
    if head:
        with ThreadPoolExecutor(8) as pool:
            heads = len(list(pool.map(lambda key: s3.head_object(Bucket=bucket, Key=key)["Metadata"], keys)))
    print(f"walk seconds={time.perf_counter() - start:.3f} keys={len(keys)} heads={heads}")


if __name__ == "__main__":
    command, endpoint, bucket, argument = sys.argv[1:5]
    if command == "fill":
        fill(endpoint, bucket, int(argument))
    else:
        walk(endpoint, bucket, argument == "1")
