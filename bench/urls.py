"""The site's URLs plus bare views, for the benches only (never mounted by the product's URL conf).

The bare view is the floor a hand-in is compared with: the same request through the same middleware, one SELECT
of the attempt row and one INSERT of as many answer rows as a hand-in writes, without login, checks or grading.
"""

import json
import uuid

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from cms.urls import urlpatterns as site_urlpatterns

_SELECT = "SELECT * FROM quizzes_quizattempt WHERE id = %s"
_INSERT = (
    # bench_bare_answer: made by bench/quiz_submit.py like quizzes_attemptanswer, indexes included.
    "INSERT INTO bench_bare_answer (attempt_id, question_id, choice_ids, is_correct) "
    "SELECT %s::uuid, given.question_id, given.choice_ids::jsonb, given.is_correct "
    "FROM UNNEST(%s::text[], %s::text[], %s::boolean[]) AS given(question_id, choice_ids, is_correct)"
)


@csrf_exempt
def bare_submit(request, attempt_id):
    answers = json.loads(request.body)["answers"]
    with connection.cursor() as cursor:
        cursor.execute(_SELECT, [attempt_id])
        cursor.fetchone()
        questions = list(answers)
        cursor.execute(_INSERT, [uuid.uuid4(), questions, [json.dumps(answers[q]) for q in questions],
                                 [True] * len(questions)])
    return JsonResponse({"attempt_id": str(attempt_id), "stored": len(questions)})


def bare_page(request):
    """bench/cohort_report.py's floor: a page through the same middleware, one small query, no template."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM cohorts_cohort")
        count = cursor.fetchone()[0]
    return HttpResponse(f"<!DOCTYPE html><title>bare</title><p>{count}</p>")


# The site's list itself (its language-prefixed part must stay in the root URL conf), the bare view first.
urlpatterns = [path("bench/bare/<uuid:attempt_id>/submit", bare_submit), path("bench/bare-page/", bare_page),
               *site_urlpatterns]
