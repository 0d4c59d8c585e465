"""Pictures are prepared at publish time in the sizes the templates ask for."""

from pathlib import Path

import pytest
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

from courses import images
from courses.models import LessonPage
from tests.courses_factory import make_course

TEMPLATES = Path(__file__).resolve().parent.parent / "courses" / "templates"


@pytest.mark.parametrize("spec", [images.CONTENT_SPEC, images.POSTER_SPEC, images.COVER_SPEC])
def test_templates_ask_for_the_prepared_sizes(spec):
    used = "".join(path.read_text() for path in TEMPLATES.rglob("*.html"))
    assert spec in used


@pytest.mark.django_db
def test_publishing_a_lesson_prepares_its_renditions(tmp_path, settings, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    picture = tmp_path / "phone.jpg"
    PILImage.new("RGB", (800, 600), "#b3261e").save(picture, "JPEG")
    with picture.open("rb") as handle:
        image = get_image_model().objects.create(title="Điện thoại", file=ImageFile(handle, name="phone.jpg"))
    course = make_course(lessons=0)
    lesson = LessonPage(title="Ảnh", slug="anh", body=[
        {"type": "image", "value": {"image": image.pk, "alt_text": "Màn hình điện thoại", "caption": ""}},
    ])
    course.add_child(instance=lesson)
    with django_capture_on_commit_callbacks(execute=True):
        lesson.save_revision().publish()
    made = set(image.renditions.values_list("filter_spec", flat=True))
    assert {"format-avif|max-360x640", "format-webp|max-720x1280", "format-jpeg|max-360x640"} <= made
