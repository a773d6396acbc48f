"""``zhibu check-config``: validate the config and print what the bot will work
with — branch, roster, groups, each system's effective rule, calendar coverage.
No database. A broken config never gets here: load_config() raises ConfigError."""

from __future__ import annotations

import os

from sqlalchemy.engine import make_url

from bot import texts
from bot.commands.plan import text_table
from bot.config import TOKEN_ENV, Config
from bot.context import AppContext, load_context
from scheduling.rules import Role, Ruleset, SystemRule

_INDENT = "  "


def _database(url: str) -> str:
    """The URL without its password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL is reported when the database is opened
        return url.split("@")[-1]


def _member_rows(ruleset: Ruleset) -> list[tuple[str, str, str]]:
    roster = ruleset.roster
    rows = []
    for member in roster.members:
        roles = [r for r in Role if member.has(r) or (r is Role.GROUP_LEADER and roster.leads(member.name))]
        group = roster.group(member.group).name if member.group else texts.NOT_SET
        rows.append((member.name, "、".join(texts.ROLE_NAMES[r] for r in roles), group))
    return rows


def _group_rows(ruleset: Ruleset) -> list[tuple[str, str, str, str]]:
    roster = ruleset.roster
    rows = []
    for group in roster.groups:
        names = [m.name for m in roster.group_members(group.key)]
        rows.append((group.key, group.name, group.leader, "、".join(names) or texts.NOT_SET))
    return rows


def _responsible(ruleset: Ruleset, rule: SystemRule) -> str:
    if not rule.group_scoped:
        return "、".join(ruleset.responsible_for(rule, None))
    parts = [f"{g.name}：{'、'.join(ruleset.responsible_for(rule, g.key))}" for g in ruleset.roster.groups]
    return "；".join(parts) or texts.NOT_SET


def _conditions(ruleset: Ruleset, rule: SystemRule) -> str:
    parts = []
    if rule.window is not None:
        parts.append(texts.window_text(rule.window.first_month, rule.window.last_month))
    if rule.after is not None and ruleset.has_system(rule.after):
        parts.append(texts.after_text(ruleset.system(rule.after).name))
    if rule.host is not None and ruleset.has_system(rule.host):
        parts.append(texts.hosted_text(ruleset.system(rule.host).name))
    if rule.standalone:
        parts.append(texts.STANDALONE_TEXT)
    covered = [ruleset.system(key).name for key in rule.may_cover if ruleset.has_system(key) and key != rule.host]
    if covered and rule.host is None:
        parts.append(texts.may_cover_text(covered))
    return "，".join(parts) or texts.NOT_SET


def _system_rows(ruleset: Ruleset) -> list[tuple[str, ...]]:
    rows = []
    for rule in ruleset.systems:
        name = rule.name if rule.enabled else f"{rule.name}（{texts.DISABLED}）"
        quorum = texts.quorum_text(rule.quorum.text.rstrip("+"), rule.quorum.inclusive) if rule.quorum else texts.NOT_SET
        rows.append(
            (
                name,
                rule.key,
                texts.SCOPE_NAMES[rule.scope.value],
                texts.PERIOD_KIND_NAMES[rule.period.value],
                texts.count_text(rule.min_per_period, rule.max_per_period),
                ", ".join(str(days) for days in rule.offsets) or texts.NOT_SET,
                quorum,
                _conditions(ruleset, rule),
                _responsible(ruleset, rule),
            )
        )
    return rows


def calendar_lines(context: AppContext) -> list[str]:
    """This year and next: official data, or the fallback (said once per year)."""
    config: Config = context.config
    this_year = context.today().year
    lines = []
    for year in (this_year, this_year + 1):
        if context.calendar.has_official_data(year):
            lines.append(texts.calendar_official(year))
        else:
            holidays = sum(1 for d in config.calendar.holidays if d.year == year)
            workdays = sum(1 for d in config.calendar.workdays if d.year == year)
            lines.append(texts.calendar_fallback(year, holidays, workdays))
    return lines


def report(context: AppContext) -> str:
    """The whole check-config text."""
    config = context.config
    ruleset = context.ruleset
    lines = [
        texts.check_config_ok(str(config.source)),
        texts.check_branch(config.branch.name, config.branch.timezone, config.reminders.send_time.strftime("%H:%M")),
        texts.check_token(config.token is not None, bool(os.environ.get(TOKEN_ENV))),
        texts.check_database(_database(config.database_url)),
        texts.check_escalation(
            ruleset.escalation_committee_after_days,
            ruleset.escalation_superior_after_days,
            config.branch.superior_chat_id is not None,
        ),
        "",
        texts.check_heading(texts.CHECK_MEMBERS, len(ruleset.roster.members)),
        text_table(texts.CHECK_MEMBER_COLUMNS, _member_rows(ruleset), _INDENT),
        "",
        texts.check_heading(texts.CHECK_GROUPS, len(ruleset.roster.groups)),
    ]
    if ruleset.roster.groups:
        lines.append(text_table(texts.CHECK_GROUP_COLUMNS, _group_rows(ruleset), _INDENT))
    lines += [
        "",
        texts.check_heading(texts.CHECK_SYSTEMS, len(ruleset.enabled)),
        text_table(texts.CHECK_SYSTEM_COLUMNS, _system_rows(ruleset), _INDENT),
        "",
        texts.check_heading(texts.CHECK_CALENDAR),
    ]
    lines += [_INDENT + line for line in calendar_lines(context)]
    return "\n".join(lines)


def run(args) -> int:
    print(report(load_context(args.config)))
    return 0
