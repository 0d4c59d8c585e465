"""Courses and lessons as Wagtail pages, enrolment and learner progress (next issue)."""
