"""The hooks that announce a finished course (certificates listen) and a learner at work (statistics listen)."""

from django.dispatch import Signal

# Sent once per learner and course, inside the transaction that records completion.
# Arguments: learner, course (CoursePage), enrollment.
course_completed = Signal()

# Sent when a learner opens a lesson (at most once per lesson every 10 minutes) or hands in a quiz.
# Arguments: learner.
learner_active = Signal()
