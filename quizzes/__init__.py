"""Quizzes: authoring, attempts and fair server-side grading (coming issue)."""
