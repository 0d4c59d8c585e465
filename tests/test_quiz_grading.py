"""Property tests of the pure grading rules (quizzes/grading.py): thousands of random quizzes and answers."""

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from quizzes.grading import (
    KINDS,
    MULTIPLE,
    ONE_ANSWER_KINDS,
    TRUE_FALSE,
    InvalidAnswers,
    QuestionKey,
    check_answers,
    draw,
    grade,
    question_keys,
)

# No example database: nothing is written into the work tree, and every run explores afresh.
properties = settings(max_examples=200, deadline=None, database=None)


@st.composite
def questions(draw_, min_size=1, max_size=8):
    count = draw_(st.integers(min_size, max_size))
    keys = []
    for number in range(count):
        kind = draw_(st.sampled_from(sorted(KINDS)))
        size = 2 if kind == TRUE_FALSE else draw_(st.integers(2, 6))
        choices = tuple(f"q{number}-c{index}" for index in range(size))
        if kind in ONE_ANSWER_KINDS:
            correct = frozenset({draw_(st.sampled_from(choices))})
        else:
            correct = frozenset(draw_(st.sets(st.sampled_from(choices), min_size=1)))
        keys.append(QuestionKey(id=f"q{number}", kind=kind, choices=choices, correct=correct))
    return keys


@st.composite
def quiz_and_answers(draw_):
    keys = draw_(questions())
    answers = {}
    for key in keys:
        if key.kind in ONE_ANSWER_KINDS:
            answers[key.id] = [draw_(st.sampled_from(key.choices))]
        else:
            answers[key.id] = draw_(st.lists(st.sampled_from(key.choices), min_size=1, unique=True))
    return keys, answers


def all_right(keys):
    return {key.id: sorted(key.correct) for key in keys}


def all_wrong(keys):
    """A wrong answer for every question: a wrong choice where there is one, else a missing right one."""
    answers = {}
    for key in keys:
        wrong = [choice for choice in key.choices if choice not in key.correct]
        answers[key.id] = [wrong[0]] if wrong else sorted(key.correct)[:-1] or [key.choices[0]]
    return answers


@properties
@given(quiz_and_answers(), st.integers(0, 100))
def test_score_is_between_0_and_100_and_passing_follows_it(case, pass_mark):
    keys, answers = case
    result = grade(keys, answers, pass_mark=pass_mark)
    assert 0 <= result.score <= 100
    assert 0 <= result.right <= result.total == len(keys)
    assert result.passed == (result.score >= pass_mark)
    assert result.score == 100 * result.right // result.total
    assert (result.score == 100) == (result.right == result.total)  # 100 only when everything is right


@properties
@given(questions(), st.integers(0, 100))
def test_all_right_is_100_and_passes(keys, pass_mark):
    result = grade(keys, all_right(keys), pass_mark=pass_mark)
    assert result.score == 100 and result.passed and all(result.results.values())


@properties
@given(questions())
def test_none_right_is_0(keys):
    answers = all_wrong(keys)
    assume(all(set(answers[key.id]) != key.correct for key in keys))
    result = grade(keys, answers, pass_mark=1)
    assert result.score == 0 and not result.passed and not any(result.results.values())


@properties
@given(quiz_and_answers(), st.randoms())
def test_order_of_chosen_answers_does_not_matter(case, rnd):
    keys, answers = case
    shuffled = {}
    for question_id, chosen in answers.items():
        chosen = list(chosen)
        rnd.shuffle(chosen)
        shuffled[question_id] = chosen
    assert grade(keys, shuffled, pass_mark=80) == grade(keys, answers, pass_mark=80)
    assert check_answers(keys, shuffled) == check_answers(keys, answers)


@properties
@given(quiz_and_answers())
def test_repeated_answers_change_nothing_in_grading_and_are_refused_on_input(case):
    keys, answers = case
    doubled = {question_id: chosen + chosen[:1] for question_id, chosen in answers.items()}
    assert grade(keys, doubled, pass_mark=80) == grade(keys, answers, pass_mark=80)
    with pytest.raises(InvalidAnswers) as refused:
        check_answers(keys, doubled)
    assert {problem.code for problem in refused.value.problems} >= {"repeated_choice"}
    # What check_answers accepts is duplicate-free by construction: a set per question.
    assert all(isinstance(chosen, frozenset) for chosen in check_answers(keys, answers).values())


@properties
@given(questions())
def test_adding_a_wrong_answer_to_a_multiple_choice_makes_it_wrong(keys):
    multiple = [key for key in keys if key.kind == MULTIPLE and len(key.correct) < len(key.choices)]
    assume(multiple)
    answers = all_right(keys)
    key = multiple[0]
    extra = next(choice for choice in key.choices if choice not in key.correct)
    answers[key.id] = [*answers[key.id], extra]
    result = grade(keys, answers, pass_mark=0)
    assert result.results[key.id] is False
    assert result.right == len(keys) - 1


@properties
@given(questions())
def test_no_partial_credit_for_some_of_the_right_answers(keys):
    multiple = [key for key in keys if key.kind == MULTIPLE and len(key.correct) >= 2]
    assume(multiple)
    answers = all_right(keys)
    answers[multiple[0].id] = answers[multiple[0].id][:-1]
    assert grade(keys, answers, pass_mark=0).results[multiple[0].id] is False


@properties
@given(quiz_and_answers())
def test_correcting_an_answer_never_lowers_the_score(case):
    keys, answers = case
    before = grade(keys, answers, pass_mark=80)
    wrong = [key for key in keys if not before.results[key.id]]
    assume(wrong)
    fixed = {**answers, wrong[0].id: sorted(wrong[0].correct)}
    after = grade(keys, fixed, pass_mark=80)
    assert after.score >= before.score and after.right == before.right + 1


@properties
@given(quiz_and_answers())
def test_well_formed_complete_answers_are_accepted(case):
    keys, answers = case
    assert check_answers(keys, answers) == {question_id: frozenset(chosen) for question_id, chosen in answers.items()}


@properties
@given(quiz_and_answers(), st.data())
def test_missing_answers_are_listed(case, data):
    keys, answers = case
    dropped = data.draw(st.sets(st.sampled_from([key.id for key in keys]), min_size=1))
    partial = {question_id: chosen for question_id, chosen in answers.items() if question_id not in dropped}
    for question_id in dropped:
        if data.draw(st.booleans()):
            partial[question_id] = []  # sent, but with nothing ticked
    with pytest.raises(InvalidAnswers) as refused:
        check_answers(keys, partial)
    assert set(refused.value.missing) == dropped


@properties
@given(quiz_and_answers(), st.sampled_from(["unknown", "other", "unknown_question", "not_a_list", "not_text"]))
def test_foreign_or_malformed_answers_are_refused(case, spoil):
    keys, answers = case
    spoiled = dict(answers)
    first = keys[0]
    if spoil == "unknown":
        spoiled[first.id] = ["khong-co"]
    elif spoil == "other":
        assume(len(keys) > 1)
        spoiled[first.id] = [keys[1].choices[0]]
    elif spoil == "unknown_question":
        spoiled["khong-co"] = [first.choices[0]]
    elif spoil == "not_a_list":
        spoiled[first.id] = first.choices[0]
    else:
        spoiled[first.id] = [1]
    with pytest.raises(InvalidAnswers) as refused:
        check_answers(keys, spoiled)
    expected = {"unknown": "unknown_choice", "other": "choice_of_another_question",
                "unknown_question": "unknown_question", "not_a_list": "malformed", "not_text": "malformed"}[spoil]
    assert expected in {problem.code for problem in refused.value.problems}


@properties
@given(questions(max_size=12), st.integers(0, 2**48), st.integers(0, 14), st.booleans())
def test_draw_is_reproducible_from_the_seed(keys, seed, count, shuffle):
    first = draw(keys, seed=seed, count=count, shuffle=shuffle)
    assert draw(keys, seed=seed, count=count, shuffle=shuffle) == first
    ids, order = first
    all_ids = [key.id for key in keys]
    assert len(ids) == (count if 0 < count < len(keys) else len(keys))
    assert ids == [question_id for question_id in all_ids if question_id in ids]  # the editor's order
    by_id = {key.id: key for key in keys}
    for question_id in ids:
        assert sorted(order[question_id]) == sorted(by_id[question_id].choices)
        if by_id[question_id].kind == TRUE_FALSE or not shuffle:
            assert tuple(order[question_id]) == by_id[question_id].choices


def test_different_seeds_draw_different_questions():
    keys = [QuestionKey(id=f"q{n}", kind="single", choices=("a", "b"), correct=frozenset({"a"})) for n in range(20)]
    draws = {tuple(draw(keys, seed=seed, count=5)[0]) for seed in range(20)}
    assert len(draws) > 10


def test_question_keys_read_the_stored_stream():
    raw = [{"type": "question", "id": "q1", "value": {"kind": "multiple", "choices": [
        {"type": "item", "id": "a", "value": {"text": "A", "is_correct": True}},
        {"type": "item", "id": "b", "value": {"text": "B", "is_correct": False}},
        {"type": "item", "id": "c", "value": {"text": "C", "is_correct": True}},
    ]}}]
    assert question_keys(raw) == [QuestionKey(id="q1", kind="multiple", choices=("a", "b", "c"),
                                              correct=frozenset({"a", "c"}))]
