"""Pictures on the public site: Wagtail images, and copies of idea pictures for stories.

Idea attachments live in private storage with no URL. A picture reaches the public
site only when a coach makes a story page from the idea (`cms.services`): then it is
copied into Wagtail's image library, in its own collection, with the attachment's
alt text as the image's description. The copy is public only once an editor
publishes a page that shows it.

Uploads to the image library (the admin's add page, its multiple uploader and the
chooser's upload tab all use Wagtail's image form, whose base is `ImageForm` below,
through `WAGTAILIMAGES_IMAGE_FORM_BASE`) are first validated by Wagtail with the limits
in settings (`WAGTAILIMAGES_EXTENSIONS`: JPEG, PNG and WebP, so no SVG;
`WAGTAILIMAGES_MAX_IMAGE_PIXELS`; `WAGTAILIMAGES_MAX_UPLOAD_SIZE`), then checked and
re-encoded exactly as idea pictures are (`ideasluss.ideas.attachments.reencode_image`:
bounded decoding, no animation, scaled down to `UPLOAD_IMAGE_MAX_SIDE`, no EXIF or GPS
position on the public site), and counted against the uploader's rate limit.
"""

import io
import os
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import TemporaryUploadedFile, UploadedFile
from django.utils.text import Truncator
from django.utils.translation import gettext_noop
from wagtail.images import get_image_model
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm
from wagtail.models import Collection

from ideasluss.accounts.models import User
from ideasluss.ideas.attachments import PILLOW_ERRORS, check_declared_size, reencode_image
from ideasluss.ideas.models import Attachment
from workflows.rate_limits import count_or_refuse

#: The collection the copied idea pictures go to (a name editors see in the admin).
IDEA_PICTURES_COLLECTION = "Bilder från idéer"
#: Wagtail's image title and description hold at most this many characters.
IMAGE_TEXT_MAX_LENGTH = 255

# Wagtail's own Swedish catalogue lacks this word of its "too many pixels" message;
# naming it here puts it in ours, which Django consults first.
WAGTAIL_MESSAGES_WITHOUT_SWEDISH = (gettext_noop("unknown number"),)


def idea_pictures_collection() -> Collection:
    """The collection for pictures copied from ideas, created under the root when missing."""
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=IDEA_PICTURES_COLLECTION).first()
    if collection is None:
        collection = root.add_child(name=IDEA_PICTURES_COLLECTION)
    return collection


def image_from_attachment(*, attachment: Attachment, collection: Collection, by: User):
    """A Wagtail image copied from an idea's picture, described by its alt text.

    The attachment was validated and re-encoded when it was uploaded (a real JPEG,
    PNG or WebP within the pixel limit, metadata removed), so its bytes are copied
    as they are.
    """
    with attachment.file.open("rb") as source:
        content = source.read()
    extension = os.path.splitext(attachment.file.name)[1].lower() or ".jpg"
    # Media files have public addresses: a random name keeps the copy (and the
    # renditions named after it) from being guessed before a page shows it.
    stem = f"idea-{uuid.uuid4().hex}"
    image = get_image_model()(
        title=Truncator(attachment.alt_text).chars(IMAGE_TEXT_MAX_LENGTH),
        description=Truncator(attachment.alt_text).chars(IMAGE_TEXT_MAX_LENGTH),
        collection=collection,
        uploaded_by_user=by,
    )
    image.file.save(f"{stem}{extension}", ContentFile(content), save=False)
    # Width and height are read from the stored file (saving a file this way does
    # not fill them in), then Wagtail's size and hash, as its upload form does.
    image.file.field.update_dimension_fields(image, force=True)
    image._set_image_file_metadata()
    image.save()
    return image


class BoundedImageField(WagtailImageField):
    """Wagtail's image field, with our header check first and Pillow's errors as form errors.

    Wagtail's field lets Pillow's errors through: a PNG with a header and no pixel data,
    a PNG 0 pixels wide and a truncated JPEG each gave a 500 (found by the hostile
    corpus, tests/uploads). A PNG or WebP whose header declares too many pixels is
    refused before Willow or Pillow opens it.
    """

    def to_python(self, data):
        if hasattr(data, "read"):
            data.seek(0)
            head = data.read(32)
            data.seek(0)
            check_declared_size(head)
        try:
            return super().to_python(data)
        except PILLOW_ERRORS as error:
            raise ValidationError(
                self.error_messages["invalid_image"], code="invalid_image"
            ) from error


class ImageForm(BaseImageForm):
    """Wagtail's image form with the idea pictures' limits and re-encoding.

    Wagtail's field has already checked the extension against the content, the file
    size and the declared pixels; here the new file is counted against the uploader's
    limit, checked for its decoding cost, decoded within bounds, scaled down and
    re-encoded, and the clean copy replaces the upload. A refusal is a form error, as
    Wagtail's own are (its multiple uploader shows it beside the file), and nothing
    is stored.
    """

    def __init__(self, *args, **kwargs):
        # Wagtail passes the person uploading (BaseCollectionMemberForm pops it).
        self.uploading_user = kwargs.get("user")
        super().__init__(*args, **kwargs)
        if "file" in self.fields:
            # Wagtail builds the field itself (formfield_for_dbfield), with its label,
            # widget and limits; only its class is ours. A declared field would not do:
            # it would stay in forms that exclude the file (the multiple uploader's).
            self.fields["file"].__class__ = BoundedImageField

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not isinstance(upload, UploadedFile):
            return upload  # no new file (editing the title, say)
        user = self.uploading_user or getattr(self.instance, "uploaded_by_user", None)
        count_or_refuse("image_upload", user)
        replace_content(upload, reencode_image(upload))
        return upload


def replace_content(upload: UploadedFile, picture) -> None:
    """Put the re-encoded picture in place of the upload's bytes, in the same object.

    In place rather than as a new file, because Wagtail's multiple uploader may store
    `request.FILES` itself (when another field than the file is invalid, it keeps the
    upload aside until the editor completes the form): that must be the clean copy too.
    A large upload lives in a temporary file, which Django's storage moves into place,
    so its bytes are rewritten there.
    """
    if isinstance(upload, TemporaryUploadedFile):
        upload.file.seek(0)
        upload.file.truncate()
        upload.file.write(picture.content)
        upload.file.flush()
        upload.file.seek(0)
    else:
        upload.file = io.BytesIO(picture.content)
    upload.size = len(picture.content)
    upload.content_type = picture.content_type
    stem = os.path.splitext(os.path.basename(upload.name or ""))[0] or "bild"
    upload.name = f"{stem}.{picture.extension}"
