"""A branch on disk for the export tests: the example roster (group names may be
overridden), a database, a media folder, and helpers to log sittings with photos
and minutes the way the bot stores them."""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pytest
from PIL import Image

from bot.context import AppContext, open_context
from scheduling.rules import AbsenceReason
from storage.media import store_file
from storage.models import AttachmentKind
from storage.records import add_attachment, amend_record, create_record
from tests.auxil.config_writer import write_test_config
from tests.conftest import SHANGHAI

UNUSED_API = "http://127.0.0.1:9"  # the export never talks to Telegram
G1 = ("常天民", "郭谨瑜", "李会玲", "王晓明")
G2 = ("陈永胜", "朱东方", "刘芳", "赵磊")
COMMITTEE = ("常天民", "郭谨瑜", "李会玲", "朱东方")
EVERYBODY = G1 + G2


def jpeg(seed: int, side: int = 64) -> bytes:
    """A real JPEG of noise (noise does not compress: its size is predictable)."""
    rng = random.Random(seed)
    image = Image.frombytes("RGB", (side, side), bytes(rng.randrange(256) for _ in range(side * side * 3)))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=95)
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class Branch:
    context: AppContext
    config_path: Path
    out: Path
    ids: dict[str, int] = field(default_factory=dict)

    @property
    def media_dir(self) -> Path:
        return self.context.config.media_dir

    def log(
        self,
        key: str,
        *,
        system: str,
        held_on: date,
        present: tuple[str, ...],
        expected: tuple[str, ...],
        covers: tuple[str, ...] = (),
        group: str | None = None,
        topic: str = "学习贯彻党的二十届四中全会精神",
        minutes_text: str | None = "会议纪要：传达学习文件精神。",
        minutes_deferred: bool = False,
        photos: int = 0,
        minutes_pdf: bool = False,
        late: bool = False,
        standalone: bool | None = None,
        logged_by: str = "常天民",
        absence: AbsenceReason = AbsenceReason.SICK,
    ) -> int:
        """Logs a sitting (evening of the day held, Shanghai) with ``photos`` JPEGs."""
        logged_at = datetime(held_on.year, held_on.month, held_on.day, 20, 30, tzinfo=SHANGHAI)
        attendance = {name: (name in present, None if name in present else absence) for name in expected}
        with self.context.session() as session:
            record = create_record(
                session, system=system, covers=covers, group_key=group, held_on=held_on, topic=topic,
                standalone=standalone, attendance=attendance, minutes_text=minutes_text,
                minutes_deferred=minutes_deferred, photos_deferred=False, logged_by_name=logged_by,
                now=logged_at, late=late,
            )
            files = [(AttachmentKind.PHOTO, jpeg(record.id * 100 + n), "photo", f"IMG_{n}.jpg") for n in range(photos)]
            if minutes_pdf:
                files.append((AttachmentKind.MINUTES, PDF, "document", "会议纪要.pdf"))
            for kind, content, allowed, original in files:
                stored = store_file(self.media_dir, content, allowed={allowed})
                add_attachment(
                    session, record_id=record.id, stored_file=stored, kind=kind, telegram_file_id=None,
                    telegram_file_unique_id=None, original_name=original, actor_name=logged_by, now=logged_at,
                )
            self.ids[key] = record.id
            return record.id

    def amend_topic(self, key: str, topic: str, *, by: str, at: datetime) -> None:
        with self.context.session() as session:
            amend_record(session, record_id=self.ids[key], actor_name=by, now=at, topic=topic)


def make_branch(tmp_path: Path, db_url: str, clock, *, groups: list[dict] | None = None) -> Branch:
    overrides = {"groups": groups} if groups else None
    path = write_test_config(tmp_path, db_url, UNUSED_API, overrides=overrides)
    return Branch(context=open_context(path, clock=clock), config_path=path, out=tmp_path / "out")


@pytest.fixture
def branch(tmp_path, clock):
    """The example branch, empty, today 2026-03-02, on SQLite. Most export tests only
    format what storage returns; the ``*_on_each_backend`` fixtures run on PostgreSQL too."""
    branch = make_branch(tmp_path, f"sqlite:///{tmp_path / 'zhibu.db'}", clock)
    yield branch
    branch.context.close()


@pytest.fixture
def branch_on_each_backend(tmp_path, db_url, clock):
    branch = make_branch(tmp_path, db_url, clock)
    yield branch
    branch.context.close()


@pytest.fixture
def busy_branch(branch):
    return log_busy_year(branch)


@pytest.fixture
def busy_branch_on_each_backend(branch_on_each_backend):
    return log_busy_year(branch_on_each_backend)


def log_busy_year(branch: Branch) -> Branch:
    """Four sittings of January–February 2026, one of them invalid, one amended:

    - 第一党小组's group meeting on 1-20 (2 photos), topic amended later;
    - a committee meeting on 1-15 with one of four present (no quorum);
    - the Q1 general assembly on 2-26, also a party lecture (minutes as a PDF, 1 photo);
    - 第二党小组's group meeting on 2-10, logged late, minutes deferred.
    """
    branch.log("g1_january", system="group_meeting", group="g1", held_on=date(2026, 1, 20),
               present=G1, expected=G1, photos=2, topic="学习党章")
    branch.log("committee_january", system="committee_meeting", held_on=date(2026, 1, 15),
               present=COMMITTEE[:1], expected=COMMITTEE, absence=AbsenceReason.OFFICIAL)
    branch.log("assembly_q1", system="general_assembly", covers=("party_lecture",), held_on=date(2026, 2, 26),
               present=EVERYBODY[:6], expected=EVERYBODY, minutes_text=None, minutes_pdf=True, photos=1)
    branch.log("g2_february", system="group_meeting", group="g2", held_on=date(2026, 2, 10),
               present=G2[:3], expected=G2, minutes_text=None, minutes_deferred=True, late=True, logged_by="陈永胜")
    branch.amend_topic("g1_january", "学习党章（第一章）", by="李会玲", at=datetime(2026, 1, 22, 9, 15, tzinfo=SHANGHAI))
    return branch
