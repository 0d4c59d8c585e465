"""The one hook that announces a finished course (certificates listen to it)."""

from django.dispatch import Signal

# Sent once per learner and course, inside the transaction that records completion.
# Arguments: learner, course (CoursePage), enrollment.
course_completed = Signal()
