from django.core.files.storage import FileSystemStorage, storages


class PrivateFileSystemStorage(FileSystemStorage):
    """File storage with no public URL at all: asking for one is a programming error."""

    def url(self, name):
        raise ValueError("Private files have no URL; serve them through a view that checks access.")


def private_storage():
    """Storage for idea attachments: outside MEDIA_ROOT, with no public URL.

    Files are only reachable through the attachment view, which checks who may
    see the idea.
    """
    return storages["private"]
