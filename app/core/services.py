"""The unit-of-work decorator: a public service function commits once at the end or rolls back."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from app.extensions import db

P = ParamSpec("P")
R = TypeVar("R")


def unit_of_work(func: Callable[P, R]) -> Callable[P, R]:
    """Commit after `func` returns, roll back if it raises; views and jobs never commit themselves."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            result = func(*args, **kwargs)
            db.session.commit()
            return result
        except BaseException:
            db.session.rollback()
            raise

    return wrapper
