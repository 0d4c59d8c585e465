"""The class QR code's token: signed for one session and one time window, so a photo of it soon stops working.

Time is cut into windows of CHECK_IN_WINDOW_SECONDS (30 s) counted from the Unix epoch; window w covers
[w·30 s, (w+1)·30 s). The code shown during window w is "<session id>.<w>:<signature>", the signature an HMAC
(django.core.signing, its own salt) over "<session id>.<w>". It is accepted during window w and during w + 1 (the
trainer's page refreshes at the turn of the window and a member's phone takes a few seconds to open the link),
so a code works for between 30 and 60 seconds after it first appears; from window w + 2 on it is refused, as is a
code from a later window than now, one whose signature does not match, or one whose session id was changed.
"""

import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing

SALT = "attendance.check_in"
ACCEPTED_WINDOWS = 2  # the current window and the one before it


def now() -> float:
    """The clock the windows are cut from; tests replace it with a fake one."""
    return time.time()


def window_seconds() -> int:
    return int(settings.CHECK_IN_WINDOW_SECONDS)


def window_at(at: float | None = None) -> int:
    return int((now() if at is None else at) // window_seconds())


def seconds_to_next_window(at: float | None = None) -> int:
    """Whole seconds until the code changes (at least 1), for the page's <meta http-equiv="refresh">."""
    at = now() if at is None else at
    return max(1, math.ceil((window_at(at) + 1) * window_seconds() - at))


def _signer() -> signing.Signer:
    return signing.Signer(salt=SALT)


def make_token(session_pk: int, at: float | None = None) -> str:
    return _signer().sign(f"{session_pk}.{window_at(at)}")


@dataclass(frozen=True)
class Reading:
    session_pk: int | None
    fresh: bool  # signed by us, for the session it names, in the current or the previous window

    @property
    def forged(self) -> bool:
        return self.session_pk is None


def read_token(token: str, at: float | None = None) -> Reading:
    """Which session a token names and whether it is still good; never raises on a bad token."""
    try:
        value = _signer().unsign(token)
        session, window = (int(part) for part in value.split("."))
    except (signing.BadSignature, ValueError):
        return Reading(session_pk=None, fresh=False)
    current = window_at(at)
    return Reading(session_pk=session, fresh=current - ACCEPTED_WINDOWS < window <= current)
