"""The named blocks a lesson is written with, each made for a small screen and a slow connection."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(
        label=_("alternative text"), max_length=250,
        help_text=_("What the picture shows, for people who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "blocks/image_block.html"
        label = _("Image")


class StepBlock(blocks.StructBlock):
    text = blocks.RichTextBlock(label=_("what to do"), features=["bold", "italic", "link"])
    screenshot = ImageChooserBlock(label=_("screenshot"), required=False)
    screenshot_alt = blocks.CharBlock(label=_("screenshot description"), required=False, max_length=250)

    class Meta:
        icon = "list-ol"
        label = _("Step")


class StepsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), required=False, max_length=120)
    steps = blocks.ListBlock(StepBlock(), label=_("steps"), min_num=1)

    class Meta:
        icon = "list-ol"
        template = "blocks/steps_block.html"
        label = _("Step-by-step instructions")
        description = _("Numbered steps, each with an optional screenshot.")


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("kind"), choices=[("tip", _("Tip")), ("warning", _("Warning"))], default="tip"
    )
    text = blocks.RichTextBlock(label=_("text"), features=["bold", "italic", "link"])

    class Meta:
        icon = "warning"
        template = "blocks/callout_block.html"
        label = _("Tip or warning")


class VideoBlock(blocks.StructBlock):
    """Only the poster and a button load until the learner taps: a video costs megabytes."""

    title = blocks.CharBlock(label=_("title"), max_length=150)
    poster = ImageChooserBlock(label=_("poster image"))
    file = DocumentChooserBlock(label=_("video file (MP4)"), required=False)
    external_url = blocks.URLBlock(
        label=_("external video address"), required=False,
        help_text=_("Use either a file or an external address (for example a YouTube link)."),
    )
    duration = blocks.CharBlock(label=_("duration"), required=False, max_length=20,
                                help_text=_("For example 2:30"))

    class Meta:
        icon = "media"
        template = "blocks/video_block.html"
        label = _("Video")

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("file")) == bool(value.get("external_url")):
            raise blocks.StructBlockValidationError(
                block_errors={"file": _("Choose a video file or give an external address (one of the two).")}
            )
        return value


class AudioBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=150, default=_("Listen to this lesson"))
    file = DocumentChooserBlock(label=_("audio file (MP3)"))

    class Meta:
        icon = "media"
        template = "blocks/audio_block.html"
        label = _("Audio narration")
        description = _("A recording of the lesson for learners who read slowly.")


class ChecklistBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=120, default=_("Try it yourself"))
    items = blocks.ListBlock(blocks.CharBlock(max_length=250), label=_("things to try"), min_num=1)

    class Meta:
        icon = "tasks"
        template = "blocks/checklist_block.html"
        label = _("Try it yourself")


class LessonBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        label=_("Text"), features=["h2", "h3", "bold", "italic", "link", "ol", "ul"],
        template="blocks/paragraph_block.html",
    )
    image = ImageBlock()
    steps = StepsBlock()
    callout = CalloutBlock()
    video = VideoBlock()
    audio = AudioBlock()
    checklist = ChecklistBlock()

    class Meta:
        block_counts = {"audio": {"max_num": 1}}
