from django.core.files.storage import storages


def private_storage():
    """Storage for idea attachments: outside MEDIA_ROOT, with no public URL.

    Files are only reachable through the attachment view, which checks who may
    see the idea.
    """
    return storages["private"]
