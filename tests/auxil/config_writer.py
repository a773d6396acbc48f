"""Config files for tests: the example roster, pointed at a test database, a media
folder under ``tmp_path`` and the fake Bot API."""

from __future__ import annotations

import json
import tomllib
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

EXAMPLE_CONFIG = Path(__file__).resolve().parents[2] / "config.example.toml"


def write_test_config(tmp_path: Path, db_url: str, fake_url: Any, extra_toml: str = "", *,
                      telegram_ids: dict[str, int] | None = None,
                      overrides: dict[str, Any] | None = None, name: str = "config.toml") -> Path:
    """Write ``tmp_path/config.toml`` and return its path.

    ``fake_url`` is a :class:`FakeBotApi` or its URL. ``telegram_ids`` binds
    roster members by name (no invite needed); ``overrides`` replaces whole
    top-level keys or merges into tables (``{"branch": {"chat_id": -100}}``);
    ``extra_toml`` is appended verbatim (new tables only).
    """
    data = tomllib.loads(EXAMPLE_CONFIG.read_text(encoding="utf-8"))
    url = getattr(fake_url, "url", fake_url)
    token = getattr(fake_url, "token", None) or data["telegram"]["token"]
    data["telegram"] = {"token": token, "base_url": f"{url}/bot", "base_file_url": f"{url}/file/bot"}
    data["database"] = {"url": db_url}
    data["storage"] = {"media_dir": str(tmp_path / "media")}
    for member in data["members"]:
        if telegram_ids and member["name"] in telegram_ids:
            member["telegram_id"] = telegram_ids[member["name"]]
    for key, value in (overrides or {}).items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    path = tmp_path / name
    path.write_text(to_toml(data) + ("\n" + extra_toml if extra_toml else ""), encoding="utf-8")
    return path


def to_toml(data: dict[str, Any]) -> str:
    """TOML for the plain shapes a config has: tables, arrays of tables, scalars, lists."""
    lines: list[str] = []
    _emit_table(data, [], lines)
    return "\n".join(lines).strip() + "\n"


def _emit_table(table: dict[str, Any], path: list[str], lines: list[str]) -> None:
    nested = {k: v for k, v in table.items() if isinstance(v, dict)}
    arrays = {k: v for k, v in table.items() if isinstance(v, list) and v and all(isinstance(i, dict) for i in v)}
    for key, value in table.items():
        if key not in nested and key not in arrays:
            lines.append(f"{_key(key)} = {_value(value)}")
    for key, value in nested.items():
        lines.extend(["", f"[{'.'.join(_key(p) for p in [*path, key])}]"])
        _emit_table(value, [*path, key], lines)
    for key, items in arrays.items():
        for item in items:
            lines.extend(["", f"[[{'.'.join(_key(p) for p in [*path, key])}]]"])
            _emit_table(item, [*path, key], lines)


def _key(key: str) -> str:
    return key if key.replace("_", "").replace("-", "").isalnum() and key.isascii() else json.dumps(key)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    raise TypeError(f"cannot write {type(value).__name__} to TOML")
