"""The rules of a quiz attempt as pure functions: which questions are drawn, which answers count, the score.

Plain data in, plain data out: no database, no Django, so property tests can run them thousands of times.
"""

import random
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

SINGLE, MULTIPLE, TRUE_FALSE, IMAGE = "single", "multiple", "true_false", "image"
ONE_ANSWER_KINDS = frozenset({SINGLE, TRUE_FALSE, IMAGE})
KINDS = frozenset({SINGLE, MULTIPLE, TRUE_FALSE, IMAGE})


@dataclass(frozen=True)
class QuestionKey:
    """What grading needs to know about one question: its answers' ids and which of them are right."""

    id: str
    kind: str
    choices: tuple[str, ...]
    correct: frozenset[str]


@dataclass(frozen=True)
class Grade:
    score: int  # 0-100, rounded down: 100 only when every answer is right
    passed: bool
    right: int
    total: int
    results: Mapping[str, bool] = field(default_factory=dict)  # question id -> answered right


def grade(questions: Sequence[QuestionKey], answers: Mapping[str, Collection[str]], *, pass_mark: int) -> Grade:
    """Score an attempt. A question is right only when exactly its right answers are chosen (no partial credit)."""
    results = {question.id: frozenset(answers.get(question.id, ())) == question.correct for question in questions}
    total = len(results)
    right = sum(results.values())
    score = 100 * right // total if total else 0
    return Grade(score=score, passed=bool(total) and score >= pass_mark, right=right, total=total, results=results)


@dataclass(frozen=True)
class AnswerProblem:
    code: str  # missing_answer, unknown_question, unknown_choice, choice_of_another_question, ...
    question_id: str | None = None
    choice_id: str | None = None

    def as_dict(self) -> dict:
        return {"code": self.code, "question_id": self.question_id, "choice_id": self.choice_id}


class InvalidAnswers(ValueError):  # noqa: N818 - reads as what the learner did
    def __init__(self, problems: list[AnswerProblem]):
        super().__init__(", ".join(sorted({problem.code for problem in problems})))
        self.problems = problems

    @property
    def missing(self) -> list[str]:
        return [problem.question_id for problem in self.problems if problem.code == "missing_answer"]


def check_answers(questions: Sequence[QuestionKey], answers: Mapping) -> dict[str, frozenset[str]]:
    """Every question answered, with answers of that question only, each once; else InvalidAnswers listing all
    the problems."""
    known = {question.id: question for question in questions}
    owner = {choice: question.id for question in questions for choice in question.choices}
    problems: list[AnswerProblem] = []
    checked: dict[str, frozenset[str]] = {}
    if not isinstance(answers, Mapping):
        raise InvalidAnswers([AnswerProblem("malformed")])
    for question_id, chosen in answers.items():
        question = known.get(question_id) if isinstance(question_id, str) else None
        if question is None:
            problems.append(AnswerProblem("unknown_question", str(question_id)[:64]))
            continue
        if isinstance(chosen, str | bytes) or not isinstance(chosen, Sequence) or \
                not all(isinstance(choice, str) for choice in chosen):
            problems.append(AnswerProblem("malformed", question_id))
            continue
        if not chosen:
            continue  # reported below as missing
        if len(set(chosen)) != len(chosen):
            problems.append(AnswerProblem("repeated_choice", question_id))
        for choice in chosen:
            if choice not in question.choices:
                code = "choice_of_another_question" if choice in owner else "unknown_choice"
                problems.append(AnswerProblem(code, question_id, choice[:64]))
        if question.kind in ONE_ANSWER_KINDS and len(set(chosen)) > 1:
            problems.append(AnswerProblem("one_answer_only", question_id))
        checked[question_id] = frozenset(chosen)
    for question in questions:
        chosen = answers.get(question.id)
        if chosen is None or (isinstance(chosen, list | tuple) and not chosen):
            problems.append(AnswerProblem("missing_answer", question.id))
    if problems:
        raise InvalidAnswers(problems)
    return checked


def draw(questions: Sequence[QuestionKey], *, seed: int, count: int = 0,
         shuffle: bool = False) -> tuple[list[str], dict[str, list[str]]]:
    """The questions of one attempt (all, or `count` at random, kept in the editor's order) and each one's
    answer order. The same seed always gives the same draw, so an attempt can be rebuilt and checked."""
    rng = random.Random(seed)
    ids = [question.id for question in questions]
    if 0 < count < len(ids):
        picked = set(rng.sample(ids, count))
        ids = [question_id for question_id in ids if question_id in picked]
    by_id = {question.id: question for question in questions}
    order = {}
    for question_id in ids:
        choices = list(by_id[question_id].choices)
        # "True" before "False" is what people expect; shuffling it only confuses.
        if shuffle and by_id[question_id].kind != TRUE_FALSE:
            rng.shuffle(choices)
        order[question_id] = choices
    return ids, order


def question_keys(raw_questions: Sequence[Mapping]) -> list[QuestionKey]:
    """Read the answer keys from a quiz's StreamField data as stored (JSON), without building blocks."""
    keys = []
    for item in raw_questions:
        value = item.get("value") or {}
        choices = [(choice.get("id"), (choice.get("value") or {}).get("is_correct")) for choice in
                   value.get("choices") or [] if isinstance(choice, Mapping)]
        keys.append(QuestionKey(
            id=str(item.get("id")), kind=value.get("kind") or SINGLE,
            choices=tuple(str(choice_id) for choice_id, __ in choices),
            correct=frozenset(str(choice_id) for choice_id, right in choices if right),
        ))
    return keys
