"""Cross-cutting pieces that know no domain: database base, security, errors, audit, CLI helpers."""
