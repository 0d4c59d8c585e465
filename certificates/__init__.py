"""Certificates: PDFs rendered by Celery + WeasyPrint, QR verification (coming issue)."""
