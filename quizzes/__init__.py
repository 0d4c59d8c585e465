"""Quizzes: authoring, attempts, fair server-side grading, statistics for editors, and the JSON API."""
