"""Simulated Telegram users and group chats: what they do becomes updates that the
bot receives through getUpdates, shaped as Telegram shapes them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.auxil.fake_records import SentMessage

if TYPE_CHECKING:
    from tests.auxil.fake_bot_api import FakeBotApi


class FakeUser:
    """A person talking to the bot in their private chat."""

    def __init__(self, fake: FakeBotApi, user_id: int, first_name: str, username: str | None = None) -> None:
        self.fake = fake
        self.id = user_id
        self.user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        if username:
            self.user["username"] = username
        self.chat: dict[str, Any] = {"id": user_id, "type": "private", "first_name": first_name}
        if username:
            self.chat["username"] = username
        fake.chats[user_id] = self.chat
        self._read = 0  # how many of the bot's messages next_message() has returned

    # -- what the user does ----------------------------------------------------

    def send_text(self, text: str) -> dict[str, Any]:
        """A plain text message; returns the Message as the bot receives it."""
        return self._send({"text": text})

    def send_command(self, command_line: str) -> dict[str, Any]:
        """``/start CODE``: text with a bot_command entity over the command."""
        command = command_line.split(maxsplit=1)[0]
        entity = {"type": "bot_command", "offset": 0, "length": len(command.encode("utf-16-le")) // 2}
        return self._send({"text": command_line, "entities": [entity]})

    def send_photo(self, data: bytes, caption: str | None = None, media_group_id: str | None = None,
                   reported_size: int | None = None) -> dict[str, Any]:
        """A photo (two sizes, as Telegram sends them); the bytes can be fetched with getFile."""
        big = self.fake.store_file(data, "photos", ".jpg", reported_size=reported_size)
        small = self.fake.store_file(data[: max(1, len(data) // 4)], "photos", ".jpg")
        fields: dict[str, Any] = {"photo": [
            {"file_id": small.file_id, "file_unique_id": small.unique_id, "width": 90, "height": 90,
             "file_size": small.size},
            {"file_id": big.file_id, "file_unique_id": big.unique_id, "width": 1280, "height": 960,
             "file_size": big.size},
        ]}
        if caption is not None:
            fields["caption"] = caption
        if media_group_id is not None:
            fields["media_group_id"] = media_group_id
        return self._send(fields)

    def send_album(self, photos: list[bytes], caption: str | None = None) -> list[dict[str, Any]]:
        """Several photos sent together: one update each, sharing a media_group_id."""
        group_id = f"album{self.fake.next_serial()}"
        return [self.send_photo(data, caption if index == 0 else None, media_group_id=group_id)
                for index, data in enumerate(photos)]

    def send_document(self, data: bytes, file_name: str, mime_type: str, caption: str | None = None,
                      reported_size: int | None = None) -> dict[str, Any]:
        """A document; ``reported_size`` lets a test claim another size (the 20 MB check)."""
        stored = self.fake.store_file(data, "documents", "_" + file_name, reported_size=reported_size)
        fields: dict[str, Any] = {"document": {
            "file_id": stored.file_id, "file_unique_id": stored.unique_id, "file_name": file_name,
            "mime_type": mime_type, "file_size": stored.size,
        }}
        if caption is not None:
            fields["caption"] = caption
        return self._send(fields)

    def press(self, message: SentMessage, callback_data: str) -> str:
        """Press an inline button of a bot message; returns the callback query id.

        Any string can be pressed, as a forged client could send it.
        """
        query_id = str(self.fake.next_serial())
        self.fake.callback_queries[query_id] = False
        self.fake.push_update("callback_query", {
            "id": query_id, "from": self.user, "message": message.message,
            "chat_instance": f"ci{message.chat_id}", "data": callback_data,
        })
        return query_id

    def press_button(self, message: SentMessage, label: str) -> str:
        """Press the button whose label contains ``label``."""
        return self.press(message, message.callback_data(label))

    def edit_text(self, message: dict[str, Any], new_text: str) -> dict[str, Any]:
        """Edit one of the user's own earlier messages (an edited_message update)."""
        edited = {**message, "text": new_text, "edit_date": self.fake.unix_now()}
        self.fake.push_update("edited_message", edited)
        return edited

    # -- what the user sees ----------------------------------------------------

    @property
    def inbox(self) -> list[SentMessage]:
        """Everything the bot sent to this user, oldest first."""
        return self.fake.sent_to(self.id)

    async def next_message(self, timeout: float = 5) -> SentMessage:
        """The next bot message to this user not yet returned by this method."""
        def arrived() -> SentMessage | None:
            inbox = self.inbox
            return inbox[self._read] if len(inbox) > self._read else None

        message = await self.fake.signal.wait_until(
            arrived, timeout, lambda: f"message #{self._read + 1} to {self.user['first_name']} ({self.id}); "
                                      f"so far: {[m.body[:60] for m in self.inbox]}")
        self._read += 1
        return message

    def skip_read(self) -> None:
        """Mark every message so far as read (next_message waits for a new one)."""
        self._read = len(self.inbox)

    def _send(self, fields: dict[str, Any]) -> dict[str, Any]:
        message = {"message_id": self.fake.next_message_id(self.id), "from": self.user,
                   "chat": self.chat, "date": self.fake.unix_now(), **fields}
        self.fake.push_update("message", message)
        return message


class FakeGroup:
    """A group chat the bot is a member of."""

    def __init__(self, fake: FakeBotApi, chat_id: int, title: str) -> None:
        self.fake = fake
        self.id = chat_id
        kind = "supergroup" if str(chat_id).startswith("-100") else "group"
        self.chat: dict[str, Any] = {"id": chat_id, "type": kind, "title": title}
        fake.chats[chat_id] = self.chat

    def send_text(self, user: FakeUser, text: str) -> dict[str, Any]:
        """``user`` writes ``text`` in the group (entities for a leading command)."""
        fields: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            fields["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        message = {"message_id": self.fake.next_message_id(self.id), "from": user.user, "chat": self.chat,
                   "date": self.fake.unix_now(), **fields}
        self.fake.push_update("message", message)
        return message

    @property
    def inbox(self) -> list[SentMessage]:
        return self.fake.sent_to(self.id)
