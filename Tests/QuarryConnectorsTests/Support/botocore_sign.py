"""Signs requests with botocore's own SigV4 signer, for SigV4CrossCheckTests.swift.

Reads a JSON document from the file named by argv[1]:
  {"access_key_id", "secret_access_key", "session_token" (or null), "region", "timestamp": "YYYYMMDDTHHMMSSZ",
   "requests": [{"method", "scheme", "host", "key" (unencoded path after the first "/"),
                 "query": [[name, value], ...] (unencoded), "headers": [[name, value], ...],
                 "body": "text", "sign_payload": true|false}, ...]}
Writes to stdout a JSON list with, per request, botocore's encoded path, canonical request and
Authorization header. The path is encoded as botocore's serializer encodes S3 keys
(percent_encode(key, safe="/~")) and the query is given as params, which botocore encodes itself,
so the comparison covers encoding as well as signing.
"""
import datetime
import json
import sys

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.compat import HTTPHeaders
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.utils import percent_encode


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        document = json.load(handle)
    stamp = datetime.datetime.strptime(document["timestamp"], "%Y%m%dT%H%M%SZ")
    botocore.auth.get_current_datetime = lambda: stamp
    credentials = Credentials(
        document["access_key_id"], document["secret_access_key"], document.get("session_token")
    )
    signer = botocore.auth.S3SigV4Auth(credentials, "s3", document["region"])
    results = []
    for spec in document["requests"]:
        path = "/" + percent_encode(spec["key"], safe="/~")
        request = AWSRequest(
            method=spec["method"],
            url=f'{spec["scheme"]}://{spec["host"]}{path}',
            data=spec["body"].encode("utf-8"),
        )
        request.params = [(name, value) for name, value in spec["query"]]
        request.headers = HTTPHeaders()
        for name, value in spec["headers"]:
            request.headers[name] = value
        request.context["client_config"] = Config(s3={"payload_signing_enabled": spec["sign_payload"]})
        signer.add_auth(request)
        authorization = request.headers["Authorization"]
        del request.headers["Authorization"]
        results.append(
            {
                "path": path,
                "canonical_request": signer.canonical_request(request),
                "authorization": authorization,
            }
        )
    json.dump(results, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
