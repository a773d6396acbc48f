"""How the fake Bot API answers each method: well-formed Telegram objects, and the
errors Telegram gives for a message that is not there or not modified.

Each handler takes the fake, the decoded parameters and the uploaded attachments,
and returns the ``result`` of the answer or raises :class:`ApiError`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tests.auxil.api_schema import UploadedFile
from tests.auxil.fake_records import SentMessage

if TYPE_CHECKING:
    from tests.auxil.fake_bot_api import FakeBotApi

MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024
NOT_MODIFIED = ("Bad Request: message is not modified: specified new message content and reply markup "
                "are exactly the same as a current content and reply markup of the message")


class ApiError(Exception):
    """An error answer: HTTP status and Telegram's description."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


Handler = Callable[["FakeBotApi", dict[str, Any], dict[str, UploadedFile], int], Any]


def get_me(fake: FakeBotApi, params: dict, attachments: dict, seq: int) -> Any:
    return fake.bot_user


def send_message(fake: FakeBotApi, params: dict, attachments: dict, seq: int) -> Any:
    extra = {"text": params["text"]}
    if params.get("entities"):
        extra["entities"] = params["entities"]
    return _new_message(fake, params, "text", extra, seq)


def send_photo(fake: FakeBotApi, params: dict, attachments: dict, seq: int) -> Any:
    stored = _resolve_file(fake, params["photo"], attachments, "photos", ".jpg")
    extra = {"photo": [_photo_size(stored)]}
    return _new_message(fake, params, "photo", extra, seq)


def send_document(fake: FakeBotApi, params: dict, attachments: dict, seq: int) -> Any:
    stored = _resolve_file(fake, params["document"], attachments, "documents", "")
    return _new_message(fake, params, "document", {"document": _document(stored)}, seq)


def send_media_group(fake: FakeBotApi, params: dict, attachments: dict, seq: int) -> Any:
    group_id = f"mg{fake.next_serial()}"
    messages = []
    for item in params["media"]:
        if item.get("type") == "photo":
            stored = _resolve_file(fake, item["media"], attachments, "photos", ".jpg")
            extra: dict[str, Any] = {"photo": [_photo_size(stored)]}
        else:
            stored = _resolve_file(fake, item["media"], attachments, "documents", "")
            extra = {"document": _document(stored)}
        extra["media_group_id"] = group_id
        if item.get("caption"):
            extra["caption"] = item["caption"]
        messages.append(_new_message(fake, {"chat_id": params["chat_id"]}, "media_group", extra, seq))
    return messages


def edit_message_text(fake: FakeBotApi, params: dict, attachments: dict, seq: int) -> Any:
    return _edit(fake, params, {"text": params.get("text")})


def edit_message_caption(fake: FakeBotApi, params: dict, attachments: dict, seq: int) -> Any:
    return _edit(fake, params, {"caption": params.get("caption")})


def edit_message_reply_markup(fake: FakeBotApi, params: dict, attachments: dict, seq: int) -> Any:
    return _edit(fake, params, {})


def delete_message(fake: FakeBotApi, params: dict, attachments: dict, seq: int) -> Any:
    sent = fake.bot_message(params["chat_id"], params["message_id"])
    if sent is None or sent.deleted:
        raise ApiError(400, "Bad Request: message to delete not found")
    sent.deleted = True
    return True


def answer_callback_query(fake: FakeBotApi, params: dict, attachments: dict, seq: int) -> Any:
    query_id = params["callback_query_id"]
    if fake.callback_queries.get(query_id) is not False:
        raise ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
    fake.callback_queries[query_id] = True
    return True


def get_file(fake: FakeBotApi, params: dict, attachments: dict, seq: int) -> Any:
    stored = fake.files.get(params["file_id"])
    if stored is None:
        raise ApiError(400, "Bad Request: invalid file_id")
    if stored.size > MAX_DOWNLOAD_BYTES:
        raise ApiError(400, "Bad Request: file is too big")
    return {"file_id": stored.file_id, "file_unique_id": stored.unique_id, "file_size": stored.size,
            "file_path": stored.path}


def set_my_commands(fake: FakeBotApi, params: dict, attachments: dict, seq: int) -> Any:
    fake.commands[_scope_key(params)] = params["commands"]
    return True


def get_my_commands(fake: FakeBotApi, params: dict, attachments: dict, seq: int) -> Any:
    return fake.commands.get(_scope_key(params), [])


def delete_my_commands(fake: FakeBotApi, params: dict, attachments: dict, seq: int) -> Any:
    fake.commands.pop(_scope_key(params), None)
    return True


def set_webhook(fake: FakeBotApi, params: dict, attachments: dict, seq: int) -> Any:
    fake.webhook_url = params["url"]
    if params.get("drop_pending_updates"):
        fake.updates.clear()
    return True


def delete_webhook(fake: FakeBotApi, params: dict, attachments: dict, seq: int) -> Any:
    fake.webhook_url = ""
    if params.get("drop_pending_updates"):
        fake.updates.clear()
    return True


def get_webhook_info(fake: FakeBotApi, params: dict, attachments: dict, seq: int) -> Any:
    return {"url": fake.webhook_url, "has_custom_certificate": False, "pending_update_count": len(fake.updates)}


def generic_answer(fake: FakeBotApi, method: str, params: dict, seq: int) -> Any:
    """For a method without its own handler: a well-formed value of the type it returns."""
    returns = fake.schema.returns.get(method) or ["Boolean"]
    if "Message" in returns and "chat_id" in params and method.startswith(("send", "copy", "forward")):
        return _new_message(fake, params, method, {}, seq)
    if "Boolean" in returns:
        return True
    known = {"id": fake.chat_for(params["chat_id"])["id"]} if "chat_id" in params else {}
    return fake.schema.minimal(returns[0], known)


HANDLERS: dict[str, Handler] = {
    "getMe": get_me,
    "sendMessage": send_message,
    "sendPhoto": send_photo,
    "sendDocument": send_document,
    "sendMediaGroup": send_media_group,
    "editMessageText": edit_message_text,
    "editMessageCaption": edit_message_caption,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "deleteMessage": delete_message,
    "answerCallbackQuery": answer_callback_query,
    "getFile": get_file,
    "setMyCommands": set_my_commands,
    "getMyCommands": get_my_commands,
    "deleteMyCommands": delete_my_commands,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
}


# -- building blocks -------------------------------------------------------------


def _new_message(fake: FakeBotApi, params: dict, kind: str, extra: dict[str, Any], seq: int) -> dict[str, Any]:
    chat = fake.chat_for(params["chat_id"])
    message: dict[str, Any] = {"message_id": fake.next_message_id(chat["id"]), "from": fake.bot_user,
                               "chat": chat, "date": fake.unix_now(), **extra}
    if params.get("caption"):
        message["caption"] = params["caption"]
    markup = params.get("reply_markup")
    if isinstance(markup, dict) and "inline_keyboard" in markup:  # Telegram echoes inline keyboards only
        message["reply_markup"] = markup
    fake.record_sent(SentMessage(chat_id=chat["id"], message_id=message["message_id"], kind=kind,
                                 message=message, call_seq=seq))
    return message


def _edit(fake: FakeBotApi, params: dict, changes: dict[str, Any]) -> Any:
    if "inline_message_id" in params:
        return True
    sent = fake.bot_message(params.get("chat_id"), params.get("message_id"))
    if sent is None or sent.deleted:
        raise ApiError(400, "Bad Request: message to edit not found")
    updated = dict(sent.message)
    for key, value in changes.items():
        if value is not None:
            updated[key] = value
    markup = params.get("reply_markup")
    if isinstance(markup, dict) and markup.get("inline_keyboard"):
        updated["reply_markup"] = markup
    else:  # an edit without a keyboard removes the old one
        updated.pop("reply_markup", None)
    if {k: v for k, v in updated.items() if k != "edit_date"} == {
            k: v for k, v in sent.message.items() if k != "edit_date"}:
        raise ApiError(400, NOT_MODIFIED)
    updated["edit_date"] = fake.unix_now()
    sent.message = updated
    sent.edits += 1
    return updated


def _resolve_file(fake: FakeBotApi, value: Any, attachments: dict[str, UploadedFile], folder: str, suffix: str):
    if isinstance(value, UploadedFile):
        return fake.store_file(value.data, folder, suffix, file_name=value.filename, mime_type=value.content_type)
    if isinstance(value, str) and value.startswith("attach://"):
        upload = attachments[value.removeprefix("attach://")]
        return fake.store_file(upload.data, folder, suffix, file_name=upload.filename, mime_type=upload.content_type)
    if isinstance(value, str) and value in fake.files:
        return fake.files[value]
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        return fake.store_file(value.encode(), folder, suffix)
    raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")


def _photo_size(stored) -> dict[str, Any]:
    return {"file_id": stored.file_id, "file_unique_id": stored.unique_id, "width": 1280, "height": 960,
            "file_size": stored.size}


def _document(stored) -> dict[str, Any]:
    document = {"file_id": stored.file_id, "file_unique_id": stored.unique_id, "file_size": stored.size}
    if stored.file_name:
        document["file_name"] = stored.file_name
    if stored.mime_type:
        document["mime_type"] = stored.mime_type
    return document


def _scope_key(params: dict) -> str:
    scope = params.get("scope") or {"type": "default"}
    return f"{sorted(scope.items())}|{params.get('language_code', '')}"
