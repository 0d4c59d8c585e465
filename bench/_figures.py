"""Figures the benches share. (Not the standard `statistics` module: bench/statistics.py, the issue's name for the
participation-statistics bench, shadows it for every script run from this folder.)"""


def median(values) -> float:
    ordered = sorted(values)
    if not ordered:
        raise ValueError("median of no values")
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
