"""Personal data never reaches the logs: NIK-shaped numbers are masked in every log record, tracebacks included.

The masking happens when a record is created (a log record factory), so it covers every logger of the process
(the app's module loggers, werkzeug, libraries) and every handler, whichever is added later (gunicorn, pytest).
The pattern is the free-text scrubber's (``app.core.pii``): 16 digits, also typed in groups with spaces or dots.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable

from app.core.pii import mask_niks_in_text


def _mask(value: str) -> str:
    return mask_niks_in_text(value)[0]


def mask_record(record: logging.LogRecord) -> logging.LogRecord:
    """Render the message once, masked, and pre-format a traceback, masked (handlers reuse ``exc_text``)."""
    try:
        message = record.getMessage()
    except Exception:  # a broken format string must not lose the record
        message = str(record.msg)
    masked = _mask(message)
    if masked != message or record.args:
        record.msg, record.args = masked, ()
    if record.exc_info and record.exc_info[0] is not None and not record.exc_text:
        record.exc_text = _mask("".join(traceback.format_exception(*record.exc_info)).rstrip("\n"))
    if record.stack_info:
        record.stack_info = _mask(record.stack_info)
    return record


class MaskPersonalData(logging.Filter):
    """The same masking as a filter, for handlers that receive records made elsewhere."""

    def filter(self, record: logging.LogRecord) -> bool:
        mask_record(record)
        return True


_installed: list[Callable[..., logging.LogRecord]] = []


def install_log_filter(logger: logging.Logger) -> None:
    """Mask every record of the process (once), and keep the filter on the given logger for clarity."""
    if not _installed:
        previous = logging.getLogRecordFactory()

        def factory(*args, **kwargs) -> logging.LogRecord:
            return mask_record(previous(*args, **kwargs))

        logging.setLogRecordFactory(factory)
        _installed.append(factory)
    if not any(isinstance(f, MaskPersonalData) for f in logger.filters):
        logger.addFilter(MaskPersonalData())
