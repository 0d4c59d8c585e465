from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self):
        from django.db import transaction
        from wagtail.signals import page_published

        from .models import CoursePage, LessonPage
        from .tasks import prepare_page_images

        def on_publish(sender, instance, **kwargs):
            transaction.on_commit(lambda: prepare_page_images.delay(instance.pk))

        for model in (CoursePage, LessonPage):
            page_published.connect(
                on_publish, sender=model, weak=False, dispatch_uid=f"courses.images.{model.__name__}"
            )
