from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class PrivateFileSystemStorage(FileSystemStorage):
    """File storage with no public URL at all: asking for one is a programming error."""

    def url(self, name):
        raise ValueError("Private files have no URL; serve them through a view that checks access.")


class PrivateStorage(LazyObject):
    """`STORAGES["private"]`, looked up on first use, as Django's `default_storage` is.

    A file field holds its storage from the moment its model is defined; through this
    proxy it still follows the settings (the disk here, object storage in production).
    """

    def _setup(self):
        self._wrapped = storages["private"]


private_files = PrivateStorage()


@receiver(setting_changed)
def _forget_private_storage(*, setting, **kwargs):
    if setting == "STORAGES":
        private_files._wrapped = empty


def private_storage():
    """Storage for idea attachments: outside MEDIA_ROOT, with no public URL.

    Files are only reachable through the attachment view, which checks who may
    see the idea.
    """
    return private_files
