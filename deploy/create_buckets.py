"""Create the media buckets on the S3-compatible store, and let anyone read public media.

Run once per deployment, and again at will: it changes nothing that is already right.
compose.yaml runs it as a one-shot service in the app image, before the app servers
start. It reads the same variables as the settings (ideasluss/media_storage.py):

- S3_BUCKET: public media under S3_PUBLIC_PREFIX ("public"), of which anyone may read
  Wagtail's images and renditions (s3:GetObject only: no listing, no writing, and not
  Wagtail's documents, which its own view serves);
- S3_PRIVATE_BUCKET (default: S3_BUCKET): idea attachments and receipts under
  S3_PRIVATE_PREFIX ("private"), which no one may read without the app's key.

When both share one bucket the policy still opens only those two folders.
"""

import json
import os
import sys
from collections.abc import Mapping

import boto3
from botocore.exceptions import ClientError

#: Wagtail's folders for original images and for renditions.
PUBLIC_FOLDERS = ("original_images", "images")


def setting(environ: Mapping[str, str], name: str, default: str = "") -> str:
    return environ.get(name, default).strip()


def public_read_policy(bucket: str, prefix: str) -> str:
    """Anyone may read Wagtail's images and renditions, and nothing else: not even the
    documents beside them, which Wagtail serves through its own view."""
    folder = f"{prefix}/" if prefix else ""
    resources = [f"arn:aws:s3:::{bucket}/{folder}{name}/*" for name in PUBLIC_FOLDERS]
    statement = {
        "Effect": "Allow",
        "Principal": {"AWS": ["*"]},
        "Action": ["s3:GetObject"],
        "Resource": resources,
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def bucket_ensure(client, bucket: str) -> bool:
    """Create the bucket if it is missing; True if it was created."""
    try:
        client.head_bucket(Bucket=bucket)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") not in {"404", "NoSuchBucket"}:
            raise
        region = client.meta.region_name
        if region and region != "us-east-1":
            client.create_bucket(
                Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region}
            )
        else:
            client.create_bucket(Bucket=bucket)
        return True
    return False


def main(environ: Mapping[str, str] = os.environ) -> int:
    def env(name: str, default: str = "") -> str:
        return setting(environ, name, default)

    bucket = env("S3_BUCKET")
    if not bucket:
        print("S3_BUCKET is not set: media stay on the disk, no bucket to create.")
        return 0
    private_bucket = env("S3_PRIVATE_BUCKET") or bucket
    public_prefix = env("S3_PUBLIC_PREFIX", "public").strip("/")
    client = boto3.client(
        "s3",
        endpoint_url=env("S3_ENDPOINT_URL") or None,
        region_name=env("S3_REGION") or None,
        aws_access_key_id=env("S3_ACCESS_KEY_ID") or None,
        aws_secret_access_key=env("S3_SECRET_ACCESS_KEY") or None,
    )
    for name in dict.fromkeys([bucket, private_bucket]):
        created = bucket_ensure(client, name)
        print(f"Bucket {name}: {'created' if created else 'already there'}.")
    client.put_bucket_policy(Bucket=bucket, Policy=public_read_policy(bucket, public_prefix))
    folders = ", ".join(f"{bucket}/{public_prefix}/{name}/" for name in PUBLIC_FOLDERS)
    print(f"Anyone may read {folders}; nothing else is public.")
    if private_bucket != bucket:
        try:
            client.delete_bucket_policy(Bucket=private_bucket)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") not in {"NoSuchBucketPolicy"}:
                raise
        print(f"Bucket {private_bucket}: no policy, readable only with the app's key.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
