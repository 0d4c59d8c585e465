from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("Quizzes")

    def ready(self):
        from courses import services as course_services

        from .services import final_quiz_passed

        # A course with a final test is finished only when that test is passed too.
        if final_quiz_passed not in course_services.completion_requirements:
            course_services.completion_requirements.append(final_quiz_passed)
