"""Masking personal data (phone and ID numbers) where it is not needed."""

from __future__ import annotations


def mask_phone(value: str) -> str:
    """13812345678 → 138****5678; values shorter than 8 keep only their last 2 digits."""
    digits = value.strip()
    if not digits:
        return ""
    if len(digits) >= 8:
        return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
    return "*" * (len(digits) - 2) + digits[-2:]


def mask_id_number(value: str) -> str:
    """Resident ID: keep the first 6 (region) and last 4 characters."""
    v = value.strip()
    if len(v) <= 10:
        return "*" * len(v)
    return v[:6] + "*" * (len(v) - 10) + v[-4:]
