"""The official Bot API method and type list (``api.min.json``, Bot API 10.1) as a
validator: every call the bot makes to the fake server is checked against it.

Form and multipart bodies carry every non-string value JSON-encoded as a string
(that is how python-telegram-bot sends them), so :meth:`ApiSchema.decode` first
turns each declared parameter back into the value it stands for, guided by the
parameter's declared types; :meth:`ApiSchema.problems` then lists what is wrong.
"""

from __future__ import annotations

import html
import json
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA_PATH = Path(
    os.environ.get(
        "ZHIBU_BOT_API_SCHEMA",
        Path(__file__).resolve().parents[3] / "shared" / "telegram-bot-api" / "api.min.json",
    )
)

SCALARS = {"String", "Integer", "Float", "Boolean", "InputFile"}
# Cheap semantic limits Telegram enforces (characters unless said otherwise).
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER = 200
BOT_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
TEXT_METHODS = {"sendMessage", "editMessageText"}
CAPTION_METHODS = {"sendPhoto", "sendDocument", "sendVideo", "sendAudio", "sendAnimation", "editMessageCaption"}


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request."""

    field: str
    filename: str | None
    content_type: str | None
    data: bytes


class ApiSchema:
    """Methods and types of the Bot API, and the checks made on each call."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.version: str = raw["version"]
        self.methods: dict[str, dict[str, Any]] = {
            name: {f["name"]: f for f in spec.get("fields", [])} for name, spec in raw["methods"].items()
        }
        self.returns: dict[str, list[str]] = {name: spec.get("returns", []) for name, spec in raw["methods"].items()}
        self.types: dict[str, dict[str, Any]] = raw["types"]

    # -- decoding --------------------------------------------------------------

    def decode(self, method: str, raw: dict[str, Any]) -> dict[str, Any]:
        """Turn form-encoded strings back into numbers, booleans, objects and arrays."""
        fields = self.methods.get(method, {})
        return {name: _decode_value(value, fields[name]["types"]) if name in fields else value
                for name, value in raw.items()}

    # -- validation ------------------------------------------------------------

    def problems(self, method: str, params: dict[str, Any], attachments: frozenset[str] = frozenset()) -> list[str]:
        """Every way the call breaks the schema or a cheap limit; empty if it is fine.

        ``attachments`` are multipart parts referenced as ``attach://<name>``;
        they are not parameters of their own.
        """
        if method not in self.methods:
            return [f"{method}: unknown method"]
        fields = self.methods[method]
        found: list[str] = []
        for name, value in params.items():
            if name in attachments:
                continue
            if name not in fields:
                found.append(f"{method}: unknown parameter {name!r}")
                continue
            found.extend(f"{method}.{p}" for p in self.value_problems(value, fields[name]["types"], name))
        for name, spec in fields.items():
            if spec["required"] and name not in params:
                found.append(f"{method}: missing required parameter {name!r}")
        found.extend(f"{method}: {p}" for p in _limit_problems(method, params))
        return found

    def value_problems(self, value: Any, types: list[str], where: str) -> list[str]:
        """Why ``value`` matches none of ``types``; empty if it matches one."""
        best: list[str] | None = None
        for type_name in types:
            found = self._type_problems(value, type_name, where)
            if not found:
                return []
            if best is None or len(found) < len(best):
                best = found
        return best or [f"{where}: matches none of {types}"]

    def minimal(self, type_name: str, known: dict[str, Any] | None = None) -> Any:
        """The smallest well-formed value of a type: required fields only, placeholders, ``known`` on top."""
        if type_name.startswith("Array of "):
            return []
        placeholders = {"String": "x", "Integer": 1, "Float": 1.0, "Boolean": False, "InputFile": "x"}
        if type_name in placeholders:
            return placeholders[type_name]
        spec = self.types[type_name]
        if "subtypes" in spec:
            return self.minimal(spec["subtypes"][0], known)
        value = {f["name"]: self.minimal(f["types"][0]) for f in spec.get("fields", []) if f["required"]}
        value.update({k: v for k, v in (known or {}).items() if k in value})
        return value

    def object_problems(self, value: Any, type_name: str, where: str | None = None) -> list[str]:
        """Check an object the fake itself produces (an Update, a Message)."""
        return self._type_problems(value, type_name, where or type_name)

    def _type_problems(self, value: Any, type_name: str, where: str) -> list[str]:
        if type_name.startswith("Array of "):
            if not isinstance(value, list):
                return [f"{where}: expected {type_name}, got {type(value).__name__}"]
            inner = type_name.removeprefix("Array of ")
            return [p for i, item in enumerate(value) for p in self._type_problems(item, inner, f"{where}[{i}]")]
        if type_name in SCALARS:
            return [] if _scalar_matches(value, type_name) else [f"{where}: expected {type_name}, got {value!r:.60}"]
        spec = self.types.get(type_name)
        if spec is None:
            return [f"{where}: unknown type {type_name}"]
        if "subtypes" in spec:
            return self.value_problems(value, spec["subtypes"], where)
        if not isinstance(value, dict):
            return [f"{where}: expected {type_name} object, got {value!r:.60}"]
        fields = {f["name"]: f for f in spec.get("fields", [])}
        found = [f"{where}: unknown field {key!r} for {type_name}" for key in value if key not in fields]
        found += [f"{where}: missing required field {name!r} of {type_name}"
                  for name, f in fields.items() if f["required"] and name not in value]
        for key, item in value.items():
            if key in fields:
                found += self.value_problems(item, fields[key]["types"], f"{where}.{key}")
        return found


@cache
def load_schema(path: Path = SCHEMA_PATH) -> ApiSchema:
    """The schema, parsed once per process."""
    return ApiSchema(json.loads(Path(path).read_text(encoding="utf-8")))


def _scalar_matches(value: Any, type_name: str) -> bool:
    if type_name == "String":
        return isinstance(value, str)
    if type_name == "Integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if type_name == "Float":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if type_name == "Boolean":
        return isinstance(value, bool)
    return isinstance(value, UploadedFile)  # InputFile


def _decode_value(value: Any, types: list[str]) -> Any:
    if not isinstance(value, str):
        return value
    if types == ["String"]:
        return value
    if "Integer" in types and re.fullmatch(r"-?\d+", value):
        return int(value)
    if "String" in types and not value.startswith(("{", "[")):
        return value
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        return value  # left as a string; validation reports the type mismatch


def visible_length(text: str, parse_mode: str | None) -> int:
    """The length Telegram counts: after entities parsing (HTML tags and escapes removed)."""
    if parse_mode and parse_mode.upper() == "HTML":
        text = html.unescape(re.sub(r"<[^>]+>", "", text))
    return len(text)


def _limit_problems(method: str, params: dict[str, Any]) -> list[str]:
    found: list[str] = []
    parse_mode = params.get("parse_mode") if isinstance(params.get("parse_mode"), str) else None
    text = params.get("text")
    if method in TEXT_METHODS and isinstance(text, str) and not 1 <= visible_length(text, parse_mode) <= MAX_TEXT:
        found.append(f"text must be 1-{MAX_TEXT} characters, is {visible_length(text, parse_mode)}")
    caption = params.get("caption")
    if method in CAPTION_METHODS and isinstance(caption, str) and visible_length(caption, parse_mode) > MAX_CAPTION:
        found.append(f"caption longer than {MAX_CAPTION} characters")
    if method == "answerCallbackQuery" and isinstance(text, str) and len(text) > MAX_CALLBACK_ANSWER:
        found.append(f"answerCallbackQuery text longer than {MAX_CALLBACK_ANSWER} characters")
    media = params.get("media")
    if method == "sendMediaGroup" and isinstance(media, list):
        if not 2 <= len(media) <= 10:
            found.append(f"media must hold 2-10 items, holds {len(media)}")
        for index, item in enumerate(media):
            if isinstance(item, dict) and isinstance(item.get("caption"), str) and len(item["caption"]) > MAX_CAPTION:
                found.append(f"media[{index}].caption longer than {MAX_CAPTION} characters")
    markup = params.get("reply_markup")
    if isinstance(markup, dict) and isinstance(markup.get("inline_keyboard"), list):
        for r, row in enumerate(markup["inline_keyboard"]):
            for c, button in enumerate(row if isinstance(row, list) else []):
                data = button.get("callback_data") if isinstance(button, dict) else None
                if isinstance(data, str) and not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA_BYTES:
                    found.append(f"reply_markup.inline_keyboard[{r}][{c}].callback_data must be "
                                 f"1-{MAX_CALLBACK_DATA_BYTES} bytes, is {len(data.encode())}")
    if method == "setMyCommands" and isinstance(params.get("commands"), list):
        for index, command in enumerate(params["commands"]):
            if not isinstance(command, dict):
                continue
            if not BOT_COMMAND.match(str(command.get("command", ""))):
                found.append(f"commands[{index}].command must be 1-32 of a-z, 0-9, _")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                found.append(f"commands[{index}].description must be 1-256 characters")
    return found
