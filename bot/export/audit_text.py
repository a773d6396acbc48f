"""Audit entries in words: shared by the ledger's audit sheet and ``zhibu audit``."""

from __future__ import annotations

import json

from bot import texts
from storage.models import AuditEntry


def action_text(entry: AuditEntry) -> str:
    return texts.AUDIT_ACTIONS.get(entry.action, entry.action)


def field_text(entry: AuditEntry) -> str:
    return texts.AUDIT_FIELDS.get(entry.field, entry.field) if entry.field else ""


# storage writes a yes/no field (minutes_deferred, late, ...) as Python's True/False.
_BOOLEANS = {str(value): text for value, text in texts.YES_NO.items()}


def _value(text: str | None) -> str:
    return _BOOLEANS.get(text, text) if text else ""


def before_text(entry: AuditEntry) -> str:
    return _value(entry.before)


def after_text(entry: AuditEntry) -> str:
    """The new value; a "create" entry's snapshot (JSON) as a readable line."""
    if entry.action == "create" and entry.after:
        try:
            snapshot = json.loads(entry.after)
            return texts.audit_created(snapshot["held_on"], snapshot["topic"], list(snapshot.get("present", [])))
        except (ValueError, KeyError, TypeError):
            pass  # an older or foreign snapshot: show it as stored
    return _value(entry.after)
