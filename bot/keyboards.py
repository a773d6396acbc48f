"""Inline keyboards and their callback data (always ≤ 64 bytes).

Callback data carries keys and indexes only, never names: ``lg:<step>:<value>``
inside the logging conversation, ``rec:<id>`` and ``amd:<id>:<what>`` for records.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import texts

MAX_CALLBACK_BYTES = 64
# Buttons per row for name lists (attendance); CJK names are short.
NAMES_PER_ROW = 3


def button(label: str, data: str) -> InlineKeyboardButton:
    """A callback button; refuses data Telegram would reject."""
    if len(data.encode()) > MAX_CALLBACK_BYTES:
        raise ValueError(f"callback data over {MAX_CALLBACK_BYTES} bytes: {data!r}")
    return InlineKeyboardButton(label, callback_data=data)


def _rows(buttons: Sequence[InlineKeyboardButton], per_row: int) -> list[list[InlineKeyboardButton]]:
    return [list(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row)]


def choices(prefix: str, options: Iterable[tuple[str, str]], per_row: int = 1) -> InlineKeyboardMarkup:
    """One button per (value, label), with data ``prefix:value``."""
    return InlineKeyboardMarkup(_rows([button(label, f"{prefix}:{value}") for value, label in options], per_row))


def dates() -> InlineKeyboardMarkup:
    return choices("lg:date", [("today", texts.BUTTON_TODAY), ("yesterday", texts.BUTTON_YESTERDAY)], per_row=2)


def attendance(names: Sequence[str], present: set[str]) -> InlineKeyboardMarkup:
    """Toggle buttons (✅ present / ⬜ not yet), then 全部到会 and 确定."""
    toggles = [button(("✅ " if name in present else "⬜ ") + name, f"lg:att:{i}") for i, name in enumerate(names)]
    rows = _rows(toggles, NAMES_PER_ROW)
    rows.append([button(texts.BUTTON_ALL_PRESENT, "lg:att:all"), button(texts.BUTTON_CONFIRM, "lg:att:ok")])
    return InlineKeyboardMarkup(rows)


def absence_reasons() -> InlineKeyboardMarkup:
    return choices("lg:why", texts.ABSENCE_REASONS.items(), per_row=4)


def yes_no(prefix: str) -> InlineKeyboardMarkup:
    return choices(prefix, [("yes", texts.BUTTON_YES), ("no", texts.BUTTON_NO)], per_row=2)


def covers(options: Sequence[tuple[str, str]], chosen: set[str]) -> InlineKeyboardMarkup:
    toggles = [button(("✅ " if key in chosen else "⬜ ") + name, f"lg:cov:{key}") for key, name in options]
    rows = _rows(toggles, 1)
    rows.append([button(texts.BUTTON_CONFIRM, "lg:cov:ok")])
    return InlineKeyboardMarkup(rows)


def later(prefix: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[button(texts.BUTTON_LATER, f"{prefix}:later")]])


def photos_done(prefix: str = "lg:pho", *, allow_later: bool = True, clear: bool = False) -> InlineKeyboardMarkup:
    row = [button(texts.BUTTON_DONE, f"{prefix}:done")]
    if allow_later:
        row.append(button(texts.BUTTON_LATER, f"{prefix}:later"))
    if clear:
        row.append(button(texts.BUTTON_CLEAR_PHOTOS, f"{prefix}:clear"))
    return InlineKeyboardMarkup([row])


def summary() -> InlineKeyboardMarkup:
    return choices(
        "lg:sum",
        [("save", texts.BUTTON_SAVE), ("edit", texts.BUTTON_EDIT), ("cancel", texts.BUTTON_CANCEL)],
        per_row=3,
    )


def edit_fields() -> InlineKeyboardMarkup:
    return choices("lg:edit", texts.EDIT_FIELDS.items(), per_row=3)


def record_list(items: Sequence[tuple[int, str]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(_rows([button(label, f"rec:{rid}") for rid, label in items], 2))


def record_actions(record_id: int, *, has_minutes: bool = False) -> InlineKeyboardMarkup:
    """Amend buttons; 更正纪要 instead of 补充纪要 when the record has minutes already."""
    minutes_label = texts.BUTTON_FIX_MINUTES if has_minutes else texts.BUTTON_ADD_MINUTES
    return InlineKeyboardMarkup(
        [
            [button(texts.BUTTON_ADD_PHOTOS, f"amd:{record_id}:photos"), button(minutes_label, f"amd:{record_id}:minutes")],
            [button(texts.BUTTON_FIX_TOPIC, f"amd:{record_id}:topic"), button(texts.BUTTON_FIX_DATE, f"amd:{record_id}:date")],
        ]
    )
