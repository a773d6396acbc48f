"""The TOML config (SPEC §7): parsed by ``tomllib``, validated by pydantic.

Every problem becomes one :class:`ConfigError` whose text is a single line naming
the file, the key and what is wrong; the CLI prints it and exits 2.
"""

from __future__ import annotations

import os
import tomllib
from datetime import date, time
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from scheduling.periods import PeriodKind
from scheduling.rules import (
    DEFAULT_OFFSETS,
    DEFAULT_SYSTEMS,
    SYSTEM_KEYS,
    Group,
    Member,
    Quorum,
    Role,
    Roster,
    Ruleset,
)
from scheduling.workdays import WorkdayCalendar

TOKEN_ENV = "ZHIBU_TELEGRAM_TOKEN"
DEFAULT_CONFIG_PATH = Path("config.toml")


class ConfigError(Exception):
    """A config problem, already phrased as one line: ``file: key: problem``."""


class _Strict(BaseModel):
    # strict: TOML is typed, so "7", 7.0 or true where a number belongs is a mistake,
    # not something to coerce silently.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


def _distinct_offsets(value: list[int]) -> list[int]:
    repeated = sorted({day for day in value if value.count(day) > 1})
    if repeated:
        raise ValueError(f"offset {repeated[0]} is given twice")
    return value


Offsets = Annotated[
    list[Annotated[int, Field(ge=0, le=366)]],
    Field(min_length=0, max_length=12),
    AfterValidator(_distinct_offsets),
]
# Enums come from TOML as text; strict mode would only accept enum instances.
RoleName = Annotated[Role, Field(strict=False)]


def _http_url(value: str | None, *, secure: bool = False) -> str | None:
    schemes = ("https://",) if secure else ("http://", "https://")
    if value is not None and (not value.startswith(schemes) or len(value) <= len("https://")):
        raise ValueError("must be an " + ("https://" if secure else "http:// or https://") + " URL")
    return value


class WebhookConfig(_Strict):
    listen: str = "0.0.0.0"
    port: int = Field(8443, ge=1, le=65535)
    url: str  # Telegram delivers webhooks over HTTPS only
    secret_token: str = Field(min_length=1, max_length=256, pattern=r"^[A-Za-z0-9_-]+$")
    url_path: str = ""

    @field_validator("url")
    @classmethod
    def _https(cls, value: str) -> str:
        return _http_url(value, secure=True)


class TelegramConfig(_Strict):
    token: str | None = None
    # The bot's @username, for invite links made while Telegram cannot be asked (getMe).
    bot_username: str | None = Field(None, pattern=r"^[A-Za-z][A-Za-z0-9_]{3,31}$")
    base_url: str | None = None
    base_file_url: str | None = None
    webhook: WebhookConfig | None = None

    @field_validator("base_url", "base_file_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        return _http_url(value)

    def __repr__(self) -> str:  # the token must never reach a log or a traceback
        return f"TelegramConfig(base_url={self.base_url!r}, webhook={self.webhook is not None})"

    __str__ = __repr__


class DatabaseConfig(_Strict):
    url: str = "sqlite:///data/zhibu.db"

    @field_validator("url")
    @classmethod
    def _known_dialect(cls, value: str) -> str:
        if not value.startswith(("sqlite://", "postgresql")):
            raise ValueError("must start with sqlite:/// or postgresql+psycopg://")
        return value


class StorageConfig(_Strict):
    media_dir: str = "data/media"


class BranchConfig(_Strict):
    name: str = Field("机关党支部", min_length=1, max_length=100)
    timezone: str = "Asia/Shanghai"
    chat_id: int | None = None
    superior_chat_id: int | None = None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value


class GroupConfig(_Strict):
    # Starts with a letter or digit: "-" stands for "no group" in obligation keys.
    # At most 20 characters so that every button's callback data (an obligation key
    # with a prefix) stays within Telegram's 64 bytes.
    key: str = Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
    name: str = Field(min_length=1, max_length=50)
    leader: str = Field(min_length=1)


class MemberConfig(_Strict):
    name: str = Field(min_length=1, max_length=50)
    roles: list[RoleName] = Field(default_factory=lambda: [Role.MEMBER], min_length=1)
    group: str | None = None
    telegram_id: int | None = Field(None, gt=0)


class SystemConfig(_Strict):
    responsible: list[str] | None = None
    enabled: bool | None = None
    period: PeriodKind | None = Field(None, strict=False)
    min_per_period: int | None = Field(None, ge=1, le=31)
    max_per_period: int | None = Field(None, ge=1, le=31)
    offsets: Offsets | None = None
    quorum: str | None = None

    @field_validator("quorum")
    @classmethod
    def _parse_quorum(cls, value: str | None) -> str | None:
        if value is not None:
            Quorum.parse(value)
        return value

    @model_validator(mode="after")
    def _min_not_above_max(self) -> SystemConfig:
        if self.min_per_period and self.max_per_period and self.min_per_period > self.max_per_period:
            raise ValueError("min_per_period is greater than max_per_period")
        return self


class RemindersConfig(_Strict):
    send_time: time = Field(time(9, 0), strict=False)
    month: Offsets = Field(default_factory=lambda: list(DEFAULT_OFFSETS[PeriodKind.MONTH]))
    quarter: Offsets = Field(default_factory=lambda: list(DEFAULT_OFFSETS[PeriodKind.QUARTER]))
    year: Offsets = Field(default_factory=lambda: list(DEFAULT_OFFSETS[PeriodKind.YEAR]))

    @field_validator("send_time", mode="before")
    @classmethod
    def _parse_send_time(cls, value: object) -> object:
        if isinstance(value, str):
            try:
                hours, minutes = value.split(":")
                return time(int(hours), int(minutes))
            except ValueError as exc:
                raise ValueError(f"must be HH:MM, not {value!r}") from exc
        if not isinstance(value, time):
            raise ValueError(f"must be a time like \"09:00\", not {value!r}")
        return value

    def offsets_for(self, kind: PeriodKind) -> tuple[int, ...]:
        return tuple(getattr(self, kind.value))


class EscalationConfig(_Strict):
    committee_after_days: int = Field(7, ge=1, le=365)
    superior_after_days: int = Field(15, ge=1, le=365)

    @model_validator(mode="after")
    def _superior_after_committee(self) -> EscalationConfig:
        if self.superior_after_days < self.committee_after_days:
            raise ValueError("superior_after_days is smaller than committee_after_days")
        return self


# A TOML date (2027-01-01) or the same written as a quoted ISO string.
CalendarDay = Annotated[date, Field(strict=False)]


class CalendarConfig(_Strict):
    holidays: list[CalendarDay] = Field(default_factory=list)
    workdays: list[CalendarDay] = Field(default_factory=list)

    @model_validator(mode="after")
    def _disjoint(self) -> CalendarConfig:
        both = set(self.holidays) & set(self.workdays)
        if both:
            raise ValueError(f"{min(both)} is both a holiday and a workday")
        return self


class LoggingConfig(_Strict):
    max_backdate_days: int = Field(120, ge=1, le=3660)


class AttendanceConfig(_Strict):
    absence_warning_months: int = Field(3, ge=1, le=24)


class Config(_Strict):
    telegram: TelegramConfig = Field(default_factory=TelegramConfig)
    database: DatabaseConfig = Field(default_factory=DatabaseConfig)
    storage: StorageConfig = Field(default_factory=StorageConfig)
    branch: BranchConfig = Field(default_factory=BranchConfig)
    groups: list[GroupConfig] = Field(default_factory=list)
    members: list[MemberConfig] = Field(min_length=1)
    systems: dict[Literal[SYSTEM_KEYS], SystemConfig] = Field(default_factory=dict)  # type: ignore[valid-type]
    reminders: RemindersConfig = Field(default_factory=RemindersConfig)
    escalation: EscalationConfig = Field(default_factory=EscalationConfig)
    calendar: CalendarConfig = Field(default_factory=CalendarConfig)
    logging: LoggingConfig = Field(default_factory=LoggingConfig)
    attendance: AttendanceConfig = Field(default_factory=AttendanceConfig)

    # Set by load_config(): where the file was, so relative paths resolve against it.
    source: Path = Field(default=Path("config.toml"), exclude=True)

    @model_validator(mode="after")
    def _names_are_known(self) -> Config:
        _check_roster(self)
        _check_offsets(self)
        return self

    # -- derived views -------------------------------------------------------

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.branch.timezone)

    @property
    def token(self) -> str | None:
        return os.environ.get(TOKEN_ENV) or self.telegram.token

    @property
    def base_dir(self) -> Path:
        return self.source.resolve().parent

    def resolve_path(self, value: str) -> Path:
        path = Path(value)
        return path if path.is_absolute() else self.base_dir / path

    @property
    def media_dir(self) -> Path:
        return self.resolve_path(self.storage.media_dir)

    @property
    def database_url(self) -> str:
        """The URL with a relative SQLite path resolved against the config's folder."""
        url = self.database.url
        prefix = "sqlite:///"
        if url.startswith(prefix) and url != "sqlite:///:memory:":
            path = url[len(prefix) :]
            if not path.startswith("/"):
                return prefix + str(self.resolve_path(path))
        return url

    def roster(self) -> Roster:
        members = tuple(
            Member(name=m.name, roles=frozenset(m.roles), group=m.group, telegram_id=m.telegram_id)
            for m in self.members
        )
        groups = tuple(Group(key=g.key, name=g.name, leader=g.leader) for g in self.groups)
        return Roster(members=members, groups=groups)

    def ruleset(self) -> Ruleset:
        systems = []
        for default in DEFAULT_SYSTEMS:
            override = self.systems.get(default.key, SystemConfig())
            period = override.period or default.period
            changes: dict = {
                "period": period,
                "offsets": tuple(override.offsets)
                if override.offsets is not None
                else self.reminders.offsets_for(period),
            }
            if override.responsible is not None:
                changes["responsible"] = tuple(override.responsible)
            if override.enabled is not None:
                changes["enabled"] = override.enabled
            if override.min_per_period is not None:
                changes["min_per_period"] = override.min_per_period
            if override.max_per_period is not None:
                changes["max_per_period"] = override.max_per_period
            if override.quorum is not None:
                changes["quorum"] = Quorum.parse(override.quorum)
            systems.append(default.with_overrides(**changes))
        return Ruleset(
            systems=tuple(systems),
            roster=self.roster(),
            escalation_committee_after_days=self.escalation.committee_after_days,
            escalation_superior_after_days=self.escalation.superior_after_days,
            max_backdate_days=self.logging.max_backdate_days,
            absence_warning_months=self.attendance.absence_warning_months,
        )

    def workday_calendar(self) -> WorkdayCalendar:
        return WorkdayCalendar.from_config(self.calendar.holidays, self.calendar.workdays)


class _RosterProblem(ValueError):
    def __init__(self, key: str, problem: str) -> None:
        super().__init__(problem)
        self.key = key
        self.problem = problem


# The shortest length of each period kind: an offset at least this long would fall
# before the period begins, so its reminder could never be sent on its own day.
_SHORTEST_PERIOD_DAYS = {PeriodKind.MONTH: 28, PeriodKind.QUARTER: 90, PeriodKind.YEAR: 365}


def _check_offsets(config: Config) -> None:
    def check(key: str, offsets: list[int], kind: PeriodKind) -> None:
        longest = _SHORTEST_PERIOD_DAYS[kind]
        for index, offset in enumerate(offsets):
            if offset >= longest:
                raise _RosterProblem(f"{key}[{index}]", f"{offset} days is not shorter than a {kind.value} ({longest} days)")

    for kind in PeriodKind:
        check(f"reminders.{kind.value}", config.reminders.offsets_for(kind), kind)
    defaults = {rule.key: rule for rule in DEFAULT_SYSTEMS}
    for key, system in config.systems.items():
        if system.offsets is not None:
            check(f"systems.{key}.offsets", system.offsets, system.period or defaults[key].period)


def _check_roster(config: Config) -> None:
    names = [m.name for m in config.members]
    seen: set[str] = set()
    for index, name in enumerate(names):
        if name in seen:
            raise _RosterProblem(f"members[{index}].name", f"duplicate member {name!r}")
        seen.add(name)
    group_keys = [g.key for g in config.groups]
    for index, key in enumerate(group_keys):
        if key in group_keys[:index]:
            raise _RosterProblem(f"groups[{index}].key", f"duplicate group {key!r}")
    telegram_ids = [m.telegram_id for m in config.members if m.telegram_id is not None]
    if len(telegram_ids) != len(set(telegram_ids)):
        raise _RosterProblem("members.telegram_id", "the same telegram_id is given to two members")
    for index, member in enumerate(config.members):
        if member.group is not None and member.group not in group_keys:
            raise _RosterProblem(f"members[{index}].group", f"unknown group {member.group!r}")
    for index, group in enumerate(config.groups):
        if group.leader not in seen:
            raise _RosterProblem(f"groups[{index}].leader", f"unknown member {group.leader!r}")
        leader = next(m for m in config.members if m.name == group.leader)
        if leader.group is not None and leader.group != group.key:
            raise _RosterProblem(
                f"groups[{index}].leader",
                f"{group.leader!r} is a member of group {leader.group!r}, not of {group.key!r}",
            )
    for key, system in config.systems.items():
        named = system.responsible or []
        if len(named) != len(set(named)):
            raise _RosterProblem(f"systems.{key}.responsible", "names the same member twice")
        for name in named:
            if name not in seen:
                raise _RosterProblem(f"systems.{key}.responsible", f"unknown member {name!r}")
    if not any(Role.SECRETARY in m.roles for m in config.members):
        raise _RosterProblem("members", "no member has the role 'secretary'")
    _check_counts(config)


def _check_counts(config: Config) -> None:
    """min_per_period must not exceed max_per_period, the built-in one included; a
    system held only in some months of the year stays yearly."""
    for default in DEFAULT_SYSTEMS:
        override = config.systems.get(default.key)
        if override is None:
            continue
        if default.window is not None and override.period not in (None, PeriodKind.YEAR):
            raise _RosterProblem(
                f"systems.{default.key}.period",
                f"must be 'year': the system is held only in months {default.window.first_month}–{default.window.last_month}",
            )
        low = override.min_per_period or default.min_per_period
        high = override.max_per_period or default.max_per_period
        if high is not None and low > high:
            key = "min_per_period" if override.min_per_period else "max_per_period"
            raise _RosterProblem(
                f"systems.{default.key}.{key}", f"min_per_period {low} is greater than max_per_period {high}"
            )


def _format_location(loc: tuple) -> str:
    key = ""
    for part in loc:
        if isinstance(part, int):
            key += f"[{part}]"
        else:
            key += ("." if key else "") + str(part)
    return key or "(top level)"


def _describe(error: dict) -> tuple[str, str]:
    loc = tuple(p for p in error["loc"] if not (isinstance(p, str) and p.startswith("function-")))
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        return _format_location(loc), "unknown key"
    if kind == "missing":
        return _format_location(loc), "required key is missing"
    if kind == "literal_error" and loc and loc[0] == "systems":
        return _format_location(loc[:2]), f"unknown system (expected one of {', '.join(SYSTEM_KEYS)})"
    if kind == "string_pattern_mismatch":
        return _format_location(loc), f"contains characters that are not allowed (pattern {ctx.get('pattern')})"
    if kind == "enum" and "roles" in loc:
        return _format_location(loc), f"unknown role {error.get('input')!r} (expected one of {ctx.get('expected')})"
    if kind == "value_error" and isinstance(ctx.get("error"), _RosterProblem):
        problem: _RosterProblem = ctx["error"]
        return problem.key, problem.problem
    message = error["msg"].removeprefix("Value error, ")
    return _format_location(loc), message


def load_config(path: Path | str | None = None) -> Config:
    """Read and validate the config file; raise :class:`ConfigError` with one line."""
    path = Path(path) if path is not None else DEFAULT_CONFIG_PATH
    shown = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{shown}: file not found") from None
    except OSError as exc:
        raise ConfigError(f"{shown}: cannot read the file ({exc.strerror})") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{shown}: the file is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{shown}: TOML syntax error: {exc}") from None
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        key, problem = _describe(exc.errors()[0])
        raise ConfigError(f"{shown}: {key}: {problem}") from None
    config = config.model_copy(update={"source": path})
    # The token is a secret: refuse a token with whitespace (a common paste error)
    # without echoing it.
    token = config.token
    where = f"environment variable {TOKEN_ENV}" if os.environ.get(TOKEN_ENV) else f"{shown}: telegram.token"
    if token is not None and not token.strip():
        raise ConfigError(f"{where}: is empty")
    if token is not None and any(ch.isspace() for ch in token):
        raise ConfigError(f"{where}: contains white space")
    return config
