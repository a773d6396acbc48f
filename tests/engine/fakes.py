"""A fake Sender (records what it was asked to send; answers as told) and a small
database of the example branch for the tick tests."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import select

from bot.delivery import Delivery, Outcome
from bot.scheduler import EngineSetup
from storage.db import session_scope
from storage.models import Member, OutboxMessage
from storage.records import create_record
from storage.roster import sync_roster
from tests.engine.helpers import CONFIG, RULESET, at

TELEGRAM_IDS = {m.name: 1000 + index for index, m in enumerate(CONFIG.members)}


@dataclass
class FakeSender:
    """Accepts everything, except where ``outcomes[chat_id]`` lists what to answer first."""

    outcomes: dict[int, list[Outcome]] = field(default_factory=dict)
    sent: list[tuple[int, str]] = field(default_factory=list)
    asked: list[int] = field(default_factory=list)  # every chat it was asked to send to
    _next_id: int = 0

    @property
    def calls(self) -> int:
        return len(self.asked)

    async def send(self, chat_id: int, text: str, reply_markup=None) -> Delivery:
        self.asked.append(chat_id)
        planned = self.outcomes.get(chat_id)
        if planned:
            outcome = planned.pop(0)
            return Delivery(outcome, chat_id, error=f"fake {outcome.value}")
        self._next_id += 1
        self.sent.append((chat_id, text))
        return Delivery(Outcome.SENT, chat_id, self._next_id)

    def texts_to(self, name: str) -> list[str]:
        return [text for chat_id, text in self.sent if chat_id == TELEGRAM_IDS[name]]


def prepare_branch(engine, *, now: datetime, bound: bool = True) -> None:
    """The example roster in the database, everybody bound to a Telegram id."""
    with session_scope(engine) as session:
        sync_roster(session, CONFIG, now=now)
        if bound:
            for member in session.exec(select(Member)):
                member.telegram_id = TELEGRAM_IDS[member.name]


def sessions(engine):
    @contextmanager
    def factory():
        with session_scope(engine) as session:
            yield session

    return factory


def setup() -> EngineSetup:
    return EngineSetup.from_config(CONFIG)


def log_committee_meeting(engine, held_on: date, logged: datetime, *, minutes_deferred: bool = False) -> int:
    return log_meeting(engine, "committee_meeting", held_on, logged, minutes_deferred=minutes_deferred)


def log_meeting(engine, system: str, held_on: date, logged: datetime, *, group: str | None = None,
                absent: tuple[str, ...] = (), minutes_deferred: bool = False) -> int:
    """Save a sitting of ``system`` that everybody expected attended, except ``absent``."""
    expected = RULESET.roster.expected_attendees(RULESET.system(system), group)
    with session_scope(engine) as session:
        record = create_record(
            session,
            system=system,
            group_key=group,
            held_on=held_on,
            topic="研究工作",
            standalone=None,
            attendance={name: (name not in absent, None if name not in absent else "sick") for name in expected},
            minutes_text=None if minutes_deferred else "纪要",
            minutes_deferred=minutes_deferred,
            photos_deferred=False,
            logged_by_name="郭谨瑜",
            now=logged,
            late=False,
        )
        return record.id


def rows(engine, **where) -> list[OutboxMessage]:
    with session_scope(engine) as session:
        query = select(OutboxMessage)
        for name, value in where.items():
            query = query.where(getattr(OutboxMessage, name) == value)
        return list(session.exec(query))


START = at(date(2026, 1, 5), 8)
