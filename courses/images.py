"""The picture sizes course templates ask for, made when a page is published, not on a learner's first visit.

Encoding AVIF takes a quarter of a second per size; a lesson with a few pictures would make its first
reader wait seconds. The specs below must stay the same as in the templates (a test checks it).
"""

from wagtail.images.models import Filter

CONTENT_SPEC = "format-{avif,webp,jpeg} max-{360x640,720x1280}"  # blocks/image_block.html, steps_block.html
POSTER_SPEC = "format-{avif,webp,jpeg} fill-{360x203,720x405}"  # blocks/video_block.html
COVER_SPEC = "format-{avif,webp,jpeg} fill-{360x180,720x360}"  # courses/course_page.html, course_index_page.html


def lesson_images(lesson) -> list[tuple[object, str]]:
    """(image, spec) pairs for every picture in a lesson's body."""
    pairs = []
    for block in lesson.body:
        value = block.value
        if block.block_type == "image" and value.get("image"):
            pairs.append((value["image"], CONTENT_SPEC))
        elif block.block_type == "steps":
            pairs += [(step["screenshot"], CONTENT_SPEC) for step in value["steps"] if step.get("screenshot")]
        elif block.block_type == "video" and value.get("poster"):
            pairs.append((value["poster"], POSTER_SPEC))
    return pairs


def page_images(page) -> list[tuple[object, str]]:
    from .models import CoursePage, LessonPage

    if isinstance(page, LessonPage):
        return lesson_images(page)
    if isinstance(page, CoursePage) and page.cover_id:
        return [(page.cover, COVER_SPEC)]
    return []


def make_renditions(page) -> int:
    """Create every rendition the page's templates will ask for; returns how many specs were ensured."""
    count = 0
    for image, spec in page_images(page):
        specs = Filter.expand_spec(spec)
        image.get_renditions(*specs)
        count += len(specs)
    return count
