"""The one traceback filter: what a learner needs from an exception, and no more.

A learner's code (an exercise file, the bug hunt's tutorial text) runs inside our
checking code.  When it raises, the full traceback is mostly our frames; the learner
needs the exception's last line and where in *their* file it happened.  The bug hunt,
the app's exercise runner and the exercises' pytest checks all ask this module.
"""

from __future__ import annotations

import traceback
from pathlib import Path


def _same_file(a: str, b: str | Path) -> bool:
    # Equal names first: the bug hunt's code has a made-up name ("<bughunt …>") that is
    # no file; a real file may be named by a relative or an absolute path.
    return a == str(b) or Path(a).resolve() == Path(b).resolve()


def frames_in(exc: BaseException, filename: str | Path | None) -> list[traceback.FrameSummary]:
    """The frames of exc's traceback that ran in ``filename``, outermost first."""
    if filename is None:
        return []
    return [f for f in traceback.extract_tb(exc.__traceback__) if _same_file(f.filename,
                                                                             filename)]


def last_frame_in(exc: BaseException, filename: str | Path | None
                  ) -> traceback.FrameSummary | None:
    """The innermost frame in ``filename``: the learner's line that led to the error."""
    frames = frames_in(exc, filename)
    return frames[-1] if frames else None


def raised_in(exc: BaseException, filename: str | Path | None) -> bool:
    """Whether the exception was raised by a line of ``filename`` itself (not by code it
    called)."""
    frames = traceback.extract_tb(exc.__traceback__)
    return bool(frames) and filename is not None and _same_file(frames[-1].filename, filename)


def exception_line(exc: BaseException) -> str:
    """The last line Python prints for it: 'ValueError: shapes (2,3) and (2,2) …'."""
    return traceback.format_exception_only(type(exc), exc)[-1].strip()


def exception_text(exc: BaseException) -> str:
    """All Python prints for the exception itself, without the traceback: for a
    SyntaxError also the file, the line and the caret under the error."""
    return "".join(traceback.format_exception_only(type(exc), exc)).strip()


def learner_traceback(exc: BaseException, filename: str | Path | None) -> str:
    """The traceback with only the frames in ``filename``, then the exception's line."""
    return "".join(traceback.format_list(frames_in(exc, filename))) + exception_line(exc)


def where(exc: BaseException, filename: str | Path | None) -> str:
    """'line 17: z = a @ W' for the learner's last line in the traceback, or ''."""
    frame = last_frame_in(exc, filename)
    return f"line {frame.lineno}: {(frame.line or '').strip()}" if frame else ""
