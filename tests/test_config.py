"""The config: every broken file exits 2 with one line naming file, key and problem,
and never shows the token; a good file gives the rules the domain works with."""

from __future__ import annotations

from datetime import date, time
from fractions import Fraction
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import TOKEN_ENV, ConfigError, load_config
from scheduling.periods import PeriodKind
from tests.conftest import EXAMPLE_CONFIG

SECRET = "987654:SECRET-token-never-shown"
EXAMPLE = EXAMPLE_CONFIG.read_text(encoding="utf-8").replace('token = "123456:ABC-DEF"', f'token = "{SECRET}"')
assert SECRET in EXAMPLE


def edited(old: str, new: str) -> str:
    assert old in EXAMPLE, f"the example config no longer contains {old!r}"
    return EXAMPLE.replace(old, new, 1)


def added(text: str) -> str:
    return EXAMPLE + "\n" + text + "\n"


SYSTEM = "[systems.party_lecture]"
LOGGING = "max_backdate_days = 120"

BROKEN = [
    pytest.param(edited("[branch]", "[branch"), "TOML syntax error", id="toml-syntax"),
    pytest.param(added("[flags]\nx = 1"), ": flags: unknown key", id="unknown-top-level-key"),
    pytest.param(edited(LOGGING, LOGGING + "\nverbose = true"), ": logging.verbose: unknown key", id="unknown-nested-key"),
    pytest.param(edited(SYSTEM, SYSTEM + "\nfrequency = 2"), ": systems.party_lecture.frequency: unknown key", id="unknown-key-in-a-system"),
    pytest.param(edited('name = "常天民"', 'name = "常天民"\nnickname = "常"'), ": members[0].nickname: unknown key", id="unknown-key-in-a-member"),
    pytest.param(added("[systems.flag_raising]\nresponsible = []"), ": systems.flag_raising: unknown system", id="unknown-system"),
    pytest.param(edited('roles = ["member"]', 'roles = ["boss"]'), ": members[5].roles[0]: unknown role 'boss'", id="unknown-role"),
    pytest.param(edited('timezone = "Asia/Shanghai"', 'timezone = "Asia/Beijing"'), ": branch.timezone: unknown time zone", id="bad-time-zone"),
    pytest.param(edited("month = [7, 2]", "month = [-1, 2]"), ": reminders.month[0]:", id="negative-offset"),
    pytest.param(edited("month = [7, 2]", 'month = ["7", 2]'), ": reminders.month[0]: Input should be a valid integer", id="quoted-offset"),
    pytest.param(edited("month = [7, 2]", "month = [7.5, 2]"), ": reminders.month[0]: Input should be a valid integer", id="fractional-offset"),
    pytest.param(edited("year = [30, 10, 3]", f"year = {list(range(1, 14))}"), ": reminders.year:", id="too-many-offsets"),
    pytest.param(edited("month = [7, 2]", "month = [7, 7]"), ": reminders.month: offset 7 is given twice", id="repeated-offset"),
    pytest.param(edited(SYSTEM, SYSTEM + "\noffsets = [3, -2]"), ": systems.party_lecture.offsets[1]:", id="negative-system-offset"),
    pytest.param(edited('send_time = "09:00"', 'send_time = "9点"'), ": reminders.send_time: must be HH:MM", id="bad-send-time"),
    pytest.param(edited('send_time = "09:00"', 'send_time = "24:00"'), ": reminders.send_time: must be HH:MM", id="send-time-out-of-range"),
    pytest.param(edited(SYSTEM, SYSTEM + '\nquorum = "half"'), ": systems.party_lecture.quorum: quorum must look like", id="quorum-syntax"),
    pytest.param(edited(SYSTEM, SYSTEM + '\nquorum = "3/2"'), ": systems.party_lecture.quorum: quorum must be a fraction", id="quorum-above-one"),
    pytest.param(edited(SYSTEM, SYSTEM + '\nquorum = "1/1"'), ": systems.party_lecture.quorum: quorum '1/1' can never be exceeded", id="quorum-never-met"),
    pytest.param(
        edited("[systems.member_evaluation]", '[systems.member_evaluation]\nperiod = "quarter"'),
        ": systems.member_evaluation.period: must be 'year'",
        id="windowed-system-not-yearly",
    ),
    pytest.param(edited(SYSTEM, SYSTEM + "\nmin_per_period = 3\nmax_per_period = 2"), ": systems.party_lecture: min_per_period is greater", id="min-above-max"),
    pytest.param(
        edited("[systems.democratic_life_meeting]", "[systems.democratic_life_meeting]\nmin_per_period = 2"),
        ": systems.democratic_life_meeting.min_per_period: min_per_period 2 is greater than max_per_period 1",
        id="min-above-built-in-max",
    ),
    pytest.param(edited(SYSTEM, SYSTEM + "\nmin_per_period = 0"), ": systems.party_lecture.min_per_period:", id="min-zero"),
    pytest.param(edited(SYSTEM, SYSTEM + '\nenabled = "no"'), ": systems.party_lecture.enabled: Input should be a valid boolean", id="enabled-not-boolean"),
    pytest.param(edited(SYSTEM, SYSTEM + '\nperiod = "week"'), ": systems.party_lecture.period:", id="unknown-period"),
    pytest.param(edited('responsible = ["朱东方"]', 'responsible = ["朱西方"]'), ": systems.party_lecture.responsible: unknown member '朱西方'", id="unknown-responsible-person"),
    pytest.param(edited('leader = "李会玲"', 'leader = "李四"'), ": groups[0].leader: unknown member '李四'", id="unknown-group-leader"),
    pytest.param(edited('leader = "陈永胜"', 'leader = "王晓明"'), ": groups[1].leader: '王晓明' is a member of group 'g1', not of 'g2'", id="leader-of-another-group"),
    pytest.param(edited('group = "g2"', 'group = "g3"'), ": members[3].group: unknown group 'g3'", id="unknown-member-group"),
    pytest.param(edited('name = "赵磊"', 'name = "刘芳"'), ": members[7].name: duplicate member '刘芳'", id="duplicate-member"),
    pytest.param(edited('key = "g2"', 'key = "g1"'), ": groups[1].key: duplicate group 'g1'", id="duplicate-group"),
    pytest.param(edited('key = "g1"', 'key = "-g1"'), ": groups[0].key: contains characters that are not allowed", id="group-key-with-leading-dash"),
    pytest.param(edited('send_time = "09:00"', "send_time = 9"), ": reminders.send_time: must be a time", id="send-time-a-bare-number"),
    pytest.param(edited(f'token = "{SECRET}"', 'token = ""'), ": telegram.token: is empty", id="empty-token"),
    pytest.param(edited("month = [7, 2]", "month = [40, 2]"), ": reminders.month[0]: 40 days is not shorter than a month", id="offset-longer-than-a-month"),
    pytest.param(edited("[systems.party_lecture]\n", "[systems.party_lecture]\noffsets = [100]\n"), ": systems.party_lecture.offsets[0]: 100 days is not shorter than a quarter", id="system-offset-longer-than-its-period"),
    pytest.param(edited('roles = ["member"]', "roles = []"), ": members[5].roles: List should have at least 1 item", id="no-roles"),
    pytest.param(edited('responsible = ["朱东方"]', 'responsible = ["朱东方", "朱东方"]'), ": systems.party_lecture.responsible: names the same member twice", id="responsible-named-twice"),
    pytest.param(edited('key = "g1"', 'key = "group_with_a_very_long_key"'), ": groups[0].key: String should have at most 20 characters", id="group-key-too-long-for-buttons"),
    pytest.param(edited('roles = ["secretary", "committee", "leadership"]', 'roles = ["committee", "leadership"]'), ": members: no member has the role 'secretary'", id="no-secretary"),
    pytest.param(edited("committee_after_days = 7", "committee_after_days = 20"), ": escalation: superior_after_days is smaller", id="escalation-order"),
    pytest.param(edited("holidays = []", "holidays = [2027-01-04]").replace("workdays = []", "workdays = [2027-01-04]"), ": calendar: 2027-01-04 is both a holiday and a workday", id="holiday-and-workday"),
    pytest.param(edited("holidays = []", 'holidays = ["next friday"]'), ": calendar.holidays[0]:", id="holiday-not-a-date"),
    pytest.param(edited('url = "sqlite:///data/zhibu.db"', 'url = "mysql://x/y"'), ": database.url: must start with", id="unknown-database"),
    pytest.param(edited(f'token = "{SECRET}"', f'token = "{SECRET} x"'), ": telegram.token: contains white space", id="token-with-space"),
    pytest.param(edited(f'token = "{SECRET}"', "token = 987654"), ": telegram.token: Input should be a valid string", id="token-not-text"),
    pytest.param(edited("[branch]", "[branch]\nchat_id = \"-100\""), ": branch.chat_id: Input should be a valid integer", id="chat-id-not-a-number"),
    pytest.param("[telegram]\n", ": members: required key is missing", id="no-members"),
    pytest.param(
        edited("# [telegram.webhook]", '[telegram.webhook]\nurl = "http://bot.example.org/zhibu"\nsecret_token = "abc"\n# '),
        ": telegram.webhook.url: must be an https:// URL",
        id="webhook-not-https",
    ),
    pytest.param(edited("# [telegram.webhook]", '[telegram.webhook]\nurl = "https://bot.example.org/z"\n# '), ": telegram.webhook.secret_token: required key is missing", id="webhook-without-secret"),
    pytest.param(edited('# base_url = "http://127.0.0.1:8081/bot"', 'base_url = "127.0.0.1:8081/bot"'), ": telegram.base_url: must be an http:// or https:// URL", id="bot-api-url-without-scheme"),
]


@pytest.mark.parametrize(("text", "message"), BROKEN)
def test_a_broken_config_exits_2_with_one_line(tmp_path, capsys, monkeypatch, text, message):
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    assert main(["--config", str(path), "check-config"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1, err
    assert err.startswith(f"zhibu: {path}")
    assert message in err
    assert SECRET not in err and "Traceback" not in err


def test_a_missing_file_names_the_file(tmp_path, capsys):
    path = tmp_path / "nowhere.toml"
    assert main(["--config", str(path), "plan", "--year", "2026"]) == 2
    assert capsys.readouterr().err == f"zhibu: {path}: file not found\n"


def test_a_file_that_is_not_utf8(tmp_path, capsys):
    path = tmp_path / "config.toml"
    path.write_bytes(EXAMPLE.encode("gb18030"))
    assert main(["--config", str(path), "check-config"]) == 2
    assert capsys.readouterr().err == f"zhibu: {path}: the file is not UTF-8 text\n"


def test_the_token_from_the_environment_wins_and_is_never_printed(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv(TOKEN_ENV, "111:FROM-ENV-secret")
    path = tmp_path / "config.toml"
    path.write_text(EXAMPLE, encoding="utf-8")
    config = load_config(path)
    assert config.token == "111:FROM-ENV-secret"
    assert "FROM-ENV" not in repr(config.telegram) and SECRET not in repr(config.telegram)
    assert main(["--config", str(path), "check-config"]) == 0
    out, err = capsys.readouterr()
    assert "FROM-ENV" not in out + err and SECRET not in out + err


def test_a_whitespace_token_in_the_environment_is_refused_without_showing_it(tmp_path, monkeypatch):
    monkeypatch.setenv(TOKEN_ENV, "111:abc def")
    path = tmp_path / "config.toml"
    path.write_text(EXAMPLE, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert "abc" not in str(caught.value)
    assert str(caught.value) == f"environment variable {TOKEN_ENV}: contains white space"


def test_the_example_config_carries_the_seeds_roster():
    config = load_config(EXAMPLE_CONFIG)
    roster = config.roster()
    assert {"常天民", "郭谨瑜", "李会玲", "陈永胜", "朱东方"} <= {m.name for m in roster.members}
    assert [(g.name, g.leader) for g in roster.groups] == [("第一党小组", "李会玲"), ("第二党小组", "陈永胜")]
    ruleset = config.ruleset()
    assert ruleset.responsible_for(ruleset.system("general_assembly"), None) == ("常天民", "郭谨瑜")
    assert ruleset.responsible_for(ruleset.system("group_meeting"), "g2") == ("陈永胜",)
    assert ruleset.responsible_for(ruleset.system("party_lecture"), None) == ("朱东方",)


def test_overrides_change_the_effective_rules(tmp_path):
    text = edited('[systems.committee_meeting]\nresponsible = ["郭谨瑜"]', '[systems.committee_meeting]\nresponsible = ["郭谨瑜"]\nquorum = "2/3+"\noffsets = [10, 3, 1]')
    text = text.replace('[systems.general_assembly]\nresponsible = ["常天民", "郭谨瑜"]', '[systems.general_assembly]\nresponsible = ["常天民", "郭谨瑜"]\nperiod = "month"\nmax_per_period = 2', 1)
    text = text.replace("quarter = [14, 5, 1]", "quarter = [20, 3]").replace("[calendar]\nholidays = []", "[calendar]\nholidays = [2027-01-01, \"2027-02-11\"]")
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    config = load_config(path)
    ruleset = config.ruleset()
    committee = ruleset.system("committee_meeting")
    assert committee.quorum.fraction == Fraction(2, 3) and committee.quorum.inclusive
    assert committee.offsets == (10, 3, 1)
    assembly = ruleset.system("general_assembly")
    assert (assembly.period, assembly.max_per_period, assembly.offsets) == (PeriodKind.MONTH, 2, (7, 2))
    assert ruleset.system("party_lecture").offsets == (20, 3)
    calendar = config.workday_calendar()
    assert not calendar.is_workday(date(2027, 1, 1)) and not calendar.is_workday(date(2027, 2, 11))


def test_defaults_when_optional_tables_are_left_out(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[[members]]\nname = "书记"\nroles = ["secretary"]\n', encoding="utf-8")
    config = load_config(path)
    assert config.reminders.send_time == time(9, 0)
    assert config.zone.key == "Asia/Shanghai"
    assert config.token is None or config.token  # env may set it; never required for the domain
    assert config.database_url == f"sqlite:///{tmp_path / 'data' / 'zhibu.db'}"
    assert config.ruleset().system("group_meeting").offsets == (7, 2)


def test_relative_paths_resolve_against_the_config_folder(tmp_path):
    path = tmp_path / "conf" / "config.toml"
    path.parent.mkdir()
    path.write_text(EXAMPLE, encoding="utf-8")
    config = load_config(path)
    assert config.media_dir == tmp_path / "conf" / "data" / "media"
    assert config.resolve_path("/abs/x") == Path("/abs/x")
