"""Browser tests: Debian's chromium driven by Playwright at a phone's size."""
