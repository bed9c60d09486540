"""A log filter that masks anything shaped like a NIK, so personal data never reaches the logs."""

from __future__ import annotations

import logging
import re

_NIK = re.compile(r"(?<!\d)\d{16}(?!\d)")


class MaskPersonalData(logging.Filter):
    """Replace 16-digit runs in the rendered message with a masked form."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if _NIK.search(message):
            record.msg = _NIK.sub(lambda m: m.group()[:4] + "*" * 12, message)
            record.args = ()
        return True


def install_log_filter(logger: logging.Logger) -> None:
    if not any(isinstance(f, MaskPersonalData) for f in logger.filters):
        logger.addFilter(MaskPersonalData())
