"""Audit entries in words, as `zhibu audit` and the ledger's audit sheet show them."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.export.audit_text import after_text, before_text
from storage.models import AuditEntry


@pytest.mark.parametrize(
    ("before", "after", "shown"),
    [
        pytest.param("True", "False", ("是", "否"), id="yes-to-no"),
        pytest.param("2026-03-28", "2026-04-01", ("2026-03-28", "2026-04-01"), id="dates-as-stored"),
        pytest.param(None, "原纪要", ("", "原纪要"), id="nothing-before"),
    ],
)
def test_values_read_in_chinese_and_booleans_as_yes_or_no(before, after, shown):
    entry = AuditEntry(actor_name="李会玲", at=datetime(2026, 4, 8, tzinfo=timezone.utc), action="amend", field="late", before=before, after=after)
    assert (before_text(entry), after_text(entry)) == shown
