"""Private files on S3-compatible object storage (settings: `ideasluss.media_storage`).

A module of its own so that the S3 library is imported only where the storage is used.
"""

from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    """Objects in a bucket or folder no one may read anonymously, with no URL at all.

    Not even a signed one: a signed address would let anyone who holds it read the file
    for an hour, past the view that checks who may see the idea.
    """

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise ValueError("Private files have no URL; serve them through a view that checks access.")
