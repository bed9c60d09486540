"""Shared helpers of the optimizer benchmarks: locate ../shared beside the checkout, peak RSS."""

from __future__ import annotations

import resource
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
TOP_DIR = SHARED / "data" / "top"
DESA_CSV = SHARED / "data" / "banyuwangi" / "desa.csv"

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_rss_children_mb() -> float:
    """Largest peak RSS among this process's finished children (the optimizer's forked workers), in MB."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
