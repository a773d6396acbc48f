"""A large branch for the benchmarks: its config file, a fresh database, and ten
years of the meetings a diligent branch would have logged.

The shape (300 members in 20 party groups, every member bound to Telegram) is
the issue's "large branch"; names are numbered so a figure can be traced back
to a person (``党员017``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from tests.auxil.config_writer import to_toml

SHANGHAI = ZoneInfo("Asia/Shanghai")
FIRST_TELEGRAM_ID = 200_000


@dataclass(frozen=True)
class BranchShape:
    members: int = 300
    groups: int = 20

    @property
    def group_size(self) -> int:
        return -(-self.members // self.groups)


def member_name(index: int) -> str:
    return f"党员{index + 1:03d}"


def telegram_id(index: int) -> int:
    return FIRST_TELEGRAM_ID + index


def _roles(index: int, shape: BranchShape) -> list[str]:
    """The secretary leads group 1; group leaders 1–7 sit on the committee; nine are leadership."""
    roles = []
    if index == 0:
        roles.append("secretary")
    leads = index % shape.group_size == 0
    if leads and index // shape.group_size < 7:
        roles.append("committee")
    if index % shape.group_size in (0, 1) and index // shape.group_size < 5:
        roles.append("leadership")
    if leads:
        roles.append("group_leader")
    return roles or ["member"]


def branch_config(shape: BranchShape, *, db_url: str, api_url: str, token: str, media_dir: Path) -> dict:
    """The config of the large branch as TOML-ready data."""
    size = shape.group_size
    groups = [
        {"key": f"g{g + 1:02d}", "name": f"第{g + 1}党小组", "leader": member_name(g * size)}
        for g in range(shape.groups)
    ]
    members = [
        {"name": member_name(i), "roles": _roles(i, shape), "group": f"g{i // size + 1:02d}",
         "telegram_id": telegram_id(i)}
        for i in range(shape.members)
    ]
    secretary, deputy, lecturer = member_name(0), member_name(size), member_name(min(2 * size, shape.members - 1))
    return {
        "telegram": {"token": token, "base_url": f"{api_url}/bot", "base_file_url": f"{api_url}/file/bot"},
        "database": {"url": db_url},
        "storage": {"media_dir": str(media_dir)},
        "branch": {"name": "基准测试党支部", "timezone": "Asia/Shanghai"},
        "groups": groups,
        "members": members,
        "systems": {
            "general_assembly": {"responsible": [secretary, deputy]},
            "committee_meeting": {"responsible": [deputy]},
            "party_lecture": {"responsible": [lecturer]},
            "democratic_life_meeting": {"responsible": [secretary]},
            "member_evaluation": {"responsible": [secretary, deputy]},
        },
    }


def write_branch_config(folder: Path, shape: BranchShape, *, db_url: str, api_url: str = "http://127.0.0.1:9",
                        token: str = "123456789:BENCH-token") -> Path:
    """Write ``folder/config.toml`` for the large branch and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    data = branch_config(shape, db_url=db_url, api_url=api_url, token=token, media_dir=folder / "media")
    path = folder / "config.toml"
    path.write_text(to_toml(data), encoding="utf-8")
    return path


@contextmanager
def fresh_database(folder: Path, postgres_url: str | None) -> Iterator[str]:
    """The URL of a new, empty database: a SQLite file in ``folder``, or a new
    PostgreSQL database on the server of ``postgres_url`` (dropped afterwards)."""
    if postgres_url is None:
        yield f"sqlite:///{folder / 'bench.db'}"
        return
    name = f"zhibu_bench_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield sa.engine.make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


# -- ten years of meetings -------------------------------------------------------------


@dataclass(frozen=True)
class Sitting:
    system: str
    group: str | None
    held_on: date
    covers: tuple[str, ...]
    expected: tuple[str, ...]
    standalone: bool | None = None


def year_sittings(ruleset, year: int) -> list[Sitting]:
    """Every meeting of a year, each valid: monthly group and committee meetings,
    quarterly assemblies with their lecture (and evaluation in Q4), the 民主生活会
    in October and then each group's 组织生活会."""
    roster = ruleset.roster

    def expected(system: str, group: str | None = None) -> tuple[str, ...]:
        return roster.expected_attendees(ruleset.system(system), group)

    sittings = []
    for month in range(1, 13):
        sittings.append(Sitting("committee_meeting", None, date(year, month, 10), (), expected("committee_meeting")))
        for group in roster.groups:
            sittings.append(Sitting("group_meeting", group.key, date(year, month, 15), (),
                                    expected("group_meeting", group.key)))
    for month in (2, 5, 8, 11):
        covers = ("party_lecture", "member_evaluation") if month == 11 else ("party_lecture",)
        sittings.append(Sitting("general_assembly", None, date(year, month, 20), covers, expected("general_assembly")))
    sittings.append(Sitting("democratic_life_meeting", None, date(year, 10, 15), (),
                            expected("democratic_life_meeting"), standalone=True))
    for group in roster.groups:
        sittings.append(Sitting("organizational_life_meeting", group.key, date(year, 11, 5), (),
                                expected("organizational_life_meeting", group.key)))
    return sittings


def seed_records(context, years: range) -> int:
    """Log every meeting of ``years`` through :func:`storage.records.create_record`
    (logged the day after, all present but one excused); returns how many."""
    from storage.records import create_record

    secretary = member_name(0)
    count = 0
    for year in years:
        with context.session() as session:
            for sitting in year_sittings(context.ruleset, year):
                attendance = {name: (True, None) for name in sitting.expected}
                if len(sitting.expected) > 3:  # one excused absence, as in real life
                    attendance[sitting.expected[-1]] = (False, "personal")
                logged = datetime.combine(sitting.held_on + timedelta(days=1), time(10), tzinfo=SHANGHAI)
                create_record(
                    session, system=sitting.system, covers=sitting.covers, group_key=sitting.group,
                    held_on=sitting.held_on, topic=f"{sitting.held_on:%Y年%m月}学习", standalone=sitting.standalone,
                    attendance=attendance, minutes_text="会议记录", minutes_deferred=False,
                    photos_deferred=False, logged_by_name=secretary, now=logged, late=False,
                )
                count += 1
    return count
