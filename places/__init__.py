"""Vietnam's administrative units since 1 July 2025: provinces and communes."""
