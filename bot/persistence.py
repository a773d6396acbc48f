"""python-telegram-bot persistence in the database (table ``chat_state``), as JSON.

A half-finished /log conversation (its state and the draft in ``user_data``)
survives a restart of the bot. Only JSON-able data is stored: handlers keep
dates as ISO text and never put objects into ``user_data``.
"""

from __future__ import annotations

import asyncio
import json

from sqlalchemy.engine import Engine
from sqlmodel import Session, delete, select
from telegram.ext import BasePersistence, PersistenceInput
from telegram.ext._utils.types import ConversationDict, ConversationKey

from scheduling.clock import Clock
from storage.models import ChatState

USER_DATA = "user_data"
CHAT_DATA = "chat_data"
BOT_DATA = "bot_data"
CONVERSATION_PREFIX = "conv:"
# Seconds between flushes of changed data; a clean stop flushes at once.
UPDATE_INTERVAL_S = 1.0


class DatabasePersistence(BasePersistence[dict, dict, dict]):
    """Stores conversations, user_data, chat_data and bot_data as JSON rows."""

    def __init__(self, engine: Engine, clock: Clock, *, update_interval: float = UPDATE_INTERVAL_S) -> None:
        super().__init__(
            # Only conversations and user_data carry anything (the /log draft).
            store_data=PersistenceInput(bot_data=False, chat_data=False, user_data=True, callback_data=False),
            update_interval=update_interval,
        )
        self._engine = engine
        self._clock = clock

    # -- rows ----------------------------------------------------------------

    def _load(self, namespace: str) -> dict[str, object]:
        with Session(self._engine) as session:
            rows = session.exec(select(ChatState).where(ChatState.namespace == namespace)).all()
            return {row.key: json.loads(row.data) for row in rows}

    def _save(self, namespace: str, key: str, value: object) -> None:
        text = json.dumps(value, ensure_ascii=False, default=str)
        with Session(self._engine) as session:
            row = session.get(ChatState, (namespace, key))
            if value == {}:
                # Every person who writes gets an empty user_data; keep no row for nothing.
                if row is not None:
                    session.delete(row)
                    session.commit()
                return
            if row is None:
                session.add(ChatState(namespace=namespace, key=key, data=text, updated_at=self._clock.now()))
            elif row.data != text:
                row.data = text
                row.updated_at = self._clock.now()
                session.add(row)
            session.commit()

    def _drop(self, namespace: str, key: str) -> None:
        with Session(self._engine) as session:
            session.exec(delete(ChatState).where(ChatState.namespace == namespace, ChatState.key == key))
            session.commit()

    async def _run(self, function, *args):
        return await asyncio.to_thread(function, *args)

    # -- BasePersistence -------------------------------------------------------

    async def get_user_data(self) -> dict[int, dict]:
        return {int(k): v for k, v in (await self._run(self._load, USER_DATA)).items()}

    async def get_chat_data(self) -> dict[int, dict]:
        return {int(k): v for k, v in (await self._run(self._load, CHAT_DATA)).items()}

    async def get_bot_data(self) -> dict:
        return (await self._run(self._load, BOT_DATA)).get("", {})

    async def get_callback_data(self) -> None:
        return None

    async def get_conversations(self, name: str) -> ConversationDict:
        rows = await self._run(self._load, CONVERSATION_PREFIX + name)
        return {tuple(json.loads(k)): v for k, v in rows.items()}

    async def update_conversation(self, name: str, key: ConversationKey, new_state: object | None) -> None:
        row_key = json.dumps(list(key))
        if new_state is None:
            await self._run(self._drop, CONVERSATION_PREFIX + name, row_key)
        else:
            await self._run(self._save, CONVERSATION_PREFIX + name, row_key, new_state)

    async def update_user_data(self, user_id: int, data: dict) -> None:
        await self._run(self._save, USER_DATA, str(user_id), data)

    async def update_chat_data(self, chat_id: int, data: dict) -> None:
        await self._run(self._save, CHAT_DATA, str(chat_id), data)

    async def update_bot_data(self, data: dict) -> None:
        await self._run(self._save, BOT_DATA, "", data)

    async def update_callback_data(self, data) -> None:
        return None

    async def drop_chat_data(self, chat_id: int) -> None:
        await self._run(self._drop, CHAT_DATA, str(chat_id))

    async def drop_user_data(self, user_id: int) -> None:
        await self._run(self._drop, USER_DATA, str(user_id))

    async def refresh_user_data(self, user_id: int, user_data: dict) -> None:
        return None

    async def refresh_chat_data(self, chat_id: int, chat_data: dict) -> None:
        return None

    async def refresh_bot_data(self, bot_data: dict) -> None:
        return None

    async def flush(self) -> None:
        return None
