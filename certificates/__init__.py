"""Certificates of completion: issued on course completion, PDFs rendered by Celery + WeasyPrint, QR verification."""
