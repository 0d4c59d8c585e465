"""Models of the quizzes app."""
