"""Every Chinese text a user sees, in one place.

Owned by the chat area; other areas append one clearly headed section at the end.
Texts that take values are small functions; plain texts are constants.
"""

from __future__ import annotations

from datetime import date

# --- chat: names shown to users -------------------------------------------

ROLE_NAMES = {
    "secretary": "支部书记",
    "committee": "支部委员",
    "group_leader": "党小组组长",
    "leadership": "领导班子成员",
    "member": "党员",
}

ABSENCE_REASONS = {
    "personal": "事假",
    "sick": "病假",
    "official": "公出",
    "other": "其他",
}

STATUS_NAMES = {
    "upcoming": "未开始",
    "open": "进行中",
    "due_soon": "即将到期",
    "done": "已完成",
    "invalid": "不符合要求",
    "overdue": "已逾期",
}

# One symbol per status for the year grid (monospace).
STATUS_SYMBOLS = {
    "upcoming": "·",
    "open": "○",
    "due_soon": "◔",
    "done": "✓",
    "invalid": "⚠",
    "overdue": "✗",
}

REASON_NAMES = {
    "quorum_not_met": "未达到法定人数",
    "not_standalone": "未单独召开",
    "outside_window": "不在规定时间段内召开",
    "before_prerequisite": "应在本年度民主生活会之后召开",
    "over_max": "超过本周期规定次数",
    "not_hosted": "未与支部党员大会一并召开",
    "system_disabled": "该制度未启用",
    "no_group": "未指定党小组",
}

# --- chat: commands (setMyCommands) ---------------------------------------

COMMAND_DESCRIPTIONS = (
    ("log", "登记一次会议"),
    ("status", "查看完成情况（可加年份）"),
    ("overdue", "查看逾期事项"),
    ("plan", "我近 60 天的截止日期"),
    ("records", "最近的会议记录"),
    ("meeting", "查看一次会议记录：/meeting 编号"),
    ("export", "导出年度台账和资料"),
    ("invite", "生成绑定链接：/invite 姓名"),
    ("me", "我的身份和职责"),
    ("help", "使用说明"),
    ("cancel", "退出当前操作"),
)

# --- chat: binding and access ---------------------------------------------

UNBOUND = (
    "您好！这是本支部的会议提醒与登记助手。\n"
    "您的账号尚未绑定。请向支部书记索取一次性邀请链接，点开链接后按“开始”即可完成绑定。"
)
INVITE_INVALID = "邀请码无效、已使用或已过期。请向支部书记重新索取邀请链接。"
ALREADY_BOUND_OTHER = "这个邀请码属于另一位同志，不能用于当前账号。请联系支部书记。"
GROUP_CHAT_POINTER = "请在与我的私聊中使用命令。"
NOT_ALLOWED = "抱歉，您没有权限进行此操作。"
EDITED_IGNORED = "已编辑的消息不会被处理。如需更正，请重新发送。"
NOT_UNDERSTOOD = "没有理解您的意思。可用 /log 登记会议，/status 查看完成情况，/help 查看全部命令。"
BUTTON_EXPIRED = "该按钮已失效，请重新发起操作。"
SOMETHING_WENT_WRONG = "抱歉，处理时出错了，请稍后重试。如果问题持续，请联系支部书记。"


def bound_welcome(name: str) -> str:
    return f"绑定成功！{name}同志，您好。\n发送 /help 查看可用命令。"


def already_bound(name: str) -> str:
    return f"您的账号已绑定为 {name}，无需再次绑定。\n发送 /help 查看可用命令。"


def invite_link(name: str, link: str, days: int) -> str:
    return f"{name}的一次性绑定链接（{days}天内有效，仅可使用一次）：\n{link}\n请私下转发给本人。"


INVITE_USAGE = "用法：/invite 姓名（须为名册中的成员）"


def invite_unknown(name: str) -> str:
    return f"名册中没有“{name}”。请检查姓名是否与配置一致。"


def rebound_note(name: str) -> str:
    return f"{name}的账号已重新绑定；原账号已解除绑定。"


# --- chat: help and me ----------------------------------------------------

HELP_INTRO = "支部通帮助支部按时召开“三会一课”等七项会议，并保存会议记录。"
# One line per command; /help shows only those the person may use (bot.handlers.menu).
HELP_LINES = {
    "log": "/log 登记一次会议（纪要、出席、照片）",
    "status": "/status 查看本期完成情况；/status 2026 查看全年表格",
    "overdue": "/overdue 查看逾期事项",
    "plan": "/plan 我近 60 天的截止日期，附日历文件",
    "records": "/records 最近的会议记录，可补充照片、纪要或更正",
    "meeting": "/meeting 编号 查看一次会议记录及照片",
    "export": "/export 年份 导出台账",
    "invite": "/invite 姓名 生成绑定链接",
    "me": "/me 我的身份和职责",
    "cancel": "/cancel 退出当前操作",
}


def help_text(commands: list[str]) -> str:
    return HELP_INTRO + "\n\n" + "\n".join(HELP_LINES[c] for c in commands if c in HELP_LINES)


def me_text(name: str, roles: list[str], group_name: str | None, duties: list[str]) -> str:
    role_text = "、".join(ROLE_NAMES.get(r, r) for r in roles) or "党员"
    lines = [f"姓名：{name}", f"身份：{role_text}"]
    if group_name:
        lines.append(f"所在党小组：{group_name}")
    lines.append("负责：" + ("；".join(duties) if duties else "无"))
    return "\n".join(lines)


# --- chat: logging a meeting ----------------------------------------------

ASK_SYSTEM = "请选择要登记的会议类型："
NOTHING_TO_LOG = "您目前不负责任何会议的登记。如有疑问，请联系支部书记。"
ASK_GROUP = "请选择党小组："
def logging_for(label: str, period: str) -> str:
    return f"登记：{label}（{period}）"


ASK_DATE = "会议是哪天召开的？可点按钮，或输入日期，如 2026-03-28 或 3月28日。"
BUTTON_TODAY = "今天"
BUTTON_YESTERDAY = "昨天"
DATE_UNREADABLE = "没能识别这个日期。请输入如 2026-03-28 或 3月28日，或点“今天”“昨天”。"
DATE_IN_FUTURE = "会议日期不能晚于今天。请重新输入召开日期。"


def date_too_old(days: int) -> str:
    return f"只能登记 {days} 天以内召开的会议。请重新输入召开日期。"


ASK_TOPIC = "请输入会议主题（1–200 字）："


def topic_bad(limit: int) -> str:
    return f"会议主题须为 1–{limit} 字。请重新输入。"


ASK_ATTENDANCE = "请点选出席人员（再点一次取消），然后点“确定”："
BUTTON_ALL_PRESENT = "全部到会"
BUTTON_CONFIRM = "确定"
NOBODY_EXPECTED = "名册中没有应到人员，已跳过出席登记。"


def ask_absence_reason(name: str) -> str:
    return f"{name}缺席的原因："


ASK_STANDALONE = "本次会议是否单独召开（未与其他会议或议题合并）？"
BUTTON_YES = "是"
BUTTON_NO = "否"
ASK_COVERS = "本次会议是否同时作为以下会议？可多选，然后点“确定”："
BUTTON_NONE_COVERED = "都不是"
ASK_MINUTES = "请发送会议纪要：直接输入文字，或发送文件（PDF、Word、图片）。也可点“稍后补充”。"
BUTTON_LATER = "稍后补充"
MINUTES_TOO_LONG = "纪要文字过长，请改为发送文件（PDF 或 Word）。"
ASK_PHOTOS = "请发送会议照片（可一次发多张）。发完后点“完成”，或点“稍后补充”。"
BUTTON_DONE = "完成"
NO_PHOTOS_YET = "还没有收到照片。请发送照片，或点“稍后补充”。"


def photo_received(count: int) -> str:
    return f"已收到 {count} 张照片。可继续发送，发完后点“完成”。"


BUTTON_CLEAR_PHOTOS = "清空重传"
PHOTOS_CLEARED = "已清空之前的照片。请重新发送会议照片，发完后点“完成”，或点“稍后补充”。"


def photos_kept(count: int) -> str:
    return f"已保留之前收到的 {count} 张照片。可继续发送新照片，发完后点“完成”；如要全部重传，点“清空重传”。"


def attendance_kept(absences: list[tuple[str, str]]) -> str:
    """The current ticks are kept (修改 → 出席); say whose absence reason is kept too."""
    if not absences:
        return "当前勾选保留如下，可直接修改。"
    kept = "、".join(f"{n}（{ABSENCE_REASONS.get(r, r)}）" for n, r in absences)
    return f"当前勾选保留如下，可直接修改。已登记的缺席：{kept}；新增缺席者会再询问原因。"


EXPECTING_TOPIC = "请输入文字主题（1–200 字），不能发送图片或文件。"
EXPECTING_TEXT = "请按提示输入文字，或点上方按钮。"
EXPECTING_BUTTON = "请点上方按钮选择。"
EXPECTING_PHOTO = "请发送照片，或点“完成”“稍后补充”。"
EXPECTING_MINUTES = "请输入纪要文字或发送文件，或点“稍后补充”。"
BUTTON_SAVE = "保存"
BUTTON_EDIT = "修改"
BUTTON_CANCEL = "取消"
ASK_EDIT_WHAT = "要修改哪一项？"
EDIT_FIELDS = {
    "date": "日期",
    "topic": "主题",
    "attendance": "出席",
    "minutes": "纪要",
    "photos": "照片",
}
CANCELLED = "已取消，未保存任何内容。"
NOTHING_TO_CANCEL = "当前没有进行中的操作。"
TIMED_OUT = "登记已超过 30 分钟无操作，已自动结束，未保存。如需登记，请重新发送 /log。"
DRAFT_LOST = "这次操作的内容已丢失，请重新开始：/log 登记会议，/records 修改记录。"
LOG_IN_PROGRESS = "正在进行的登记请先完成，或发送 /cancel 退出。"
SAVE_FAILED = "保存失败，未写入任何内容。请稍后重试。"


def file_rejected(reason: str) -> str:
    return f"文件未被接收：{reason}。请重新发送。"


FILE_TOO_LARGE = "文件超过 20 MB"
FILE_WRONG_TYPE = (
    "文件类型不支持（照片仅接受 JPEG、PNG、WebP、HEIC、GIF；"
    "纪要另可发送 PDF、Word（doc/docx）、Excel（xlsx）、ODT、TXT 文件）"
)
FILE_DOWNLOAD_FAILED = "文件下载失败"


def summary(
    *,
    system_name: str,
    group_name: str | None,
    held_on: date,
    topic: str,
    present: int,
    expected: int,
    absences: list[tuple[str, str]],
    standalone: bool | None,
    covers: list[str],
    minutes: str,
    photos: str,
) -> str:
    lines = ["请核对：", f"会议：{system_name}"]
    if group_name:
        lines.append(f"党小组：{group_name}")
    lines += [f"日期：{format_date(held_on)}", f"主题：{topic}", f"出席：{present} 人，应到 {expected} 人"]
    if absences:
        lines.append("缺席：" + "、".join(f"{n}（{ABSENCE_REASONS.get(r, r)}）" for n, r in absences))
    if standalone is not None:
        lines.append("单独召开：" + ("是" if standalone else "否"))
    if covers:
        lines.append("同时作为：" + "、".join(covers))
    lines += [f"纪要：{minutes}", f"照片：{photos}"]
    return "\n".join(lines)


MINUTES_TEXT = "文字"
MINUTES_FILE = "文件"
DEFERRED = "稍后补充"
NONE = "无"


def photos_count(count: int) -> str:
    return f"{count} 张"


def saved(record_id: int, late: bool) -> str:
    text = f"已保存，记录编号 {record_id}。"
    if late:
        text += "（补录）"
    return text


def verdict_counts(system_name: str, period: str) -> str:
    return f"✓ 计入 {period} 的{system_name}。"


def verdict_not_counted(system_name: str, period: str, reasons: list[str]) -> str:
    # The record is kept either way; the save message says so once (texts.saved).
    return f"✗ 不计入 {period} 的{system_name}：" + "；".join(reasons) + "。"


QUORUM_FRACTIONS = {"1/2": "半数", "2/3": "三分之二", "1/3": "三分之一", "3/4": "四分之三"}


def quorum_detail(present: int, expected: int, fraction: str, inclusive: bool) -> str:
    name = QUORUM_FRACTIONS.get(fraction, fraction)
    return f"出席 {present} 人，应到 {expected} 人，" + (f"未达到{name}" if inclusive else f"未超过{name}")


DEFERRED_FOLLOW_UP = "纪要或照片标记为“稍后补充”，可在 /records 中补充。"


def secretary_note(logger: str, record_line: str, verdict_line: str, late: str = "") -> str:
    """``late``: the 补录 line (:func:`late_ends_escalation` / :func:`late_escalation_continues`), if any."""
    return f"{logger}登记了会议：{record_line}\n{verdict_line}" + (f"\n{late}" if late else "")


def late_ends_escalation(label: str, period: str, deadline: date) -> str:
    return f"这是补录（截止 {format_date(deadline)} 之后登记）：{period}的{label}已完成，逾期督办到此结束。"


def late_escalation_continues(label: str, period: str, deadline: date) -> str:
    return f"这是补录（截止 {format_date(deadline)} 之后登记），但{period}的{label}仍未完成，逾期督办继续。"


# --- chat: queries --------------------------------------------------------

STATUS_NOTHING = "目前没有需要您关注的事项。"
OVERDUE_NONE = "目前没有逾期事项。"
PLAN_NONE = "近 60 天内没有您负责的截止事项。"
RECORDS_NONE = "还没有您可以查看的会议记录。"
RECORD_NOT_FOUND = "没有这条记录，或您无权查看。"
MEETING_USAGE = "用法：/meeting 编号，例如 /meeting 12"


def status_year_bad(first: int, last: int) -> str:
    return f"只能查看 {first}–{last} 年的完成情况。用法：/status 或 /status 2026"


def status_year_nothing(year: int) -> str:
    return f"{year} 年没有您负责或可查看的会议事项。全支部的情况请询问支部书记。"


def status_overdue_more(count: int) -> str:
    return f"另有 {count} 项逾期，见 /overdue"


def status_header(today: date, scope: str) -> str:
    return f"截至 {format_date(today)}（{scope}）："


STATUS_SCOPE_BRANCH = "全支部"
STATUS_SCOPE_MINE = "我负责的"


def status_line(label: str, period: str, status: str, deadline: date, days_left: int | None) -> str:
    text = f"{STATUS_SYMBOLS.get(status, '')} {label} {period}：{STATUS_NAMES.get(status, status)}，截止 {format_date(deadline)}"
    if days_left is not None and status in ("open", "due_soon"):
        text += f"（剩 {days_left} 天）"
    return text


def overdue_line(label: str, period: str, days: int, responsible: list[str]) -> str:
    return f"✗ {label} {period}：逾期 {days} 天，负责人 {'、'.join(responsible)}"


def plan_line(label: str, period: str, deadline: date, days_left: int, status: str) -> str:
    return f"{format_date(deadline)} {label} {period}（剩 {days_left} 天，{STATUS_NAMES.get(status, status)}）"


PLAN_HEADER = "近 60 天我负责的截止日期："
PLAN_ICS_CAPTION = "日历文件：可导入手机或电脑日历。"


def year_grid_header(year: int) -> str:
    return f"{year} 年完成情况（✓完成 ✗逾期 ⚠不符合 ◔将到期 ○进行中 ·未开始）："


def year_chart_title(year: int, branch: str) -> str:
    return f"{branch} {year} 年会议完成情况"


RECORDS_HEADER = "最近的会议记录（点按钮查看）："


def record_line(record_id: int, held_on: date, label: str, topic: str) -> str:
    return f"#{record_id} {format_date(held_on)} {label}：{topic}"


def record_detail(
    *,
    record_id: int,
    label: str,
    held_on: date,
    topic: str,
    present: int,
    expected: int,
    absences: list[tuple[str, str]],
    covers: list[str],
    minutes: str,
    photos: str,
    logged_by: str,
    late: bool,
    verdict: str,
    standalone: bool | None = None,
) -> str:
    lines = [
        f"记录 #{record_id}：{label}",
        f"日期：{format_date(held_on)}" + ("（补录）" if late else ""),
        f"主题：{topic}",
        f"出席：{present} 人，应到 {expected} 人",
    ]
    if absences:
        lines.append("缺席：" + "、".join(f"{n}（{ABSENCE_REASONS.get(r, r)}）" for n, r in absences))
    if standalone is not None:
        lines.append("单独召开：" + ("是" if standalone else "否"))
    if covers:
        lines.append("同时作为：" + "、".join(covers))
    lines += [f"纪要：{minutes}", f"照片：{photos}", f"登记人：{logged_by}", verdict]
    return "\n".join(lines)


DEFERRED_PENDING = "稍后补充（待补）"
MINUTES_HEADING = "会议纪要："
MINUTES_FILE_NAME = "纪要文件"
PHOTO_FILE_NAME = "照片"


def files_not_sent(names: list[str]) -> str:
    return "以下文件无法发送（存储目录中找不到，或 Telegram 拒绝）：" + "、".join(names) + "。请联系管理员检查存储目录。"


BUTTON_ADD_PHOTOS = "补充照片"
BUTTON_ADD_MINUTES = "补充纪要"
BUTTON_FIX_MINUTES = "更正纪要"
BUTTON_FIX_TOPIC = "更正主题"
BUTTON_FIX_DATE = "更正日期"
AMEND_ASK_PHOTOS = "请发送要补充的照片，发完后点“完成”。"
AMEND_ASK_MINUTES = "请发送纪要文字或文件。"


def amend_replace_minutes(has_text: bool, files: int) -> str:
    """The prompt of 更正纪要: what a new text or a new file does to the minutes already kept."""
    kept = "、".join((["文字纪要"] if has_text else []) + ([f"{files} 个纪要文件"] if files else []))
    text_effect = "新发送的文字将替换现有文字纪要" if has_text else "新发送的文字将作为文字纪要"
    return (
        f"本记录已有纪要（{kept}）。{text_effect}；新发送的文件将追加为纪要文件，已有文件保留。"
        "被替换的内容保留在审计日志中。请发送纪要文字或文件，或发送 /cancel 放弃。"
    )


AMEND_ASK_TOPIC = "请输入更正后的会议主题："
AMEND_ASK_DATE = "请输入更正后的召开日期，如 2026-03-28 或 3月28日："
AMEND_SAVED = "已更新，修改已记入审计日志。"
AMEND_NOTHING = "没有收到新内容，未作修改。"


def period_left(label: str, period: str, still_done: bool) -> str:
    """A corrected date moved the record out of ``period``: say so, and where that period stands."""
    if still_done:
        return f"本记录不再计入 {period} 的{label}（该期仍有其他记录，已完成）。"
    return f"注意：本记录不再计入 {period} 的{label}，该期现在未完成。"


def date_moved_note(actor: str, record_line: str, before: date, verdicts: str) -> str:
    return f"{actor}更正了会议日期（原为 {format_date(before)}）：{record_line}\n{verdicts}"


def format_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def period_label(key: str) -> str:
    """``2026-03`` → 2026年3月; ``2026-Q1`` → 2026年第一季度; ``2026`` → 2026年度."""
    if "-Q" in key:
        year, quarter = key.split("-Q")
        return f"{year}年第{'一二三四'[int(quarter) - 1]}季度"
    if "-" in key:
        year, month = key.split("-")
        return f"{year}年{int(month)}月"
    return f"{key}年度"


# --- command line: plan and check-config (domain) --------------------------

PERIOD_KIND_NAMES = {"month": "每月", "quarter": "每季度", "year": "每年"}
SCOPE_NAMES = {"branch": "全支部", "group": "各党小组"}
PLAN_COLUMNS = ("截止日期", "制度", "党小组", "周期", "负责人", "状态", "提醒日")
CHECK_SYSTEM_COLUMNS = ("制度", "键", "范围", "周期", "次数", "提前提醒（天）", "法定人数", "条件", "负责人")
STANDALONE_TEXT = "须单独召开"
CHECK_MEMBER_COLUMNS = ("姓名", "角色", "党小组")
CHECK_GROUP_COLUMNS = ("键", "党小组", "组长", "成员")
DISABLED = "未启用"
NOT_SET = "—"


def plan_title(branch: str, year: int, today: date, member: str | None) -> str:
    who = f"，{member} 负责的" if member else ""
    return f"{branch} {year} 年会议计划{who}（状态截至 {today.isoformat()}）"


def plan_empty(member: str) -> str:
    return f"{member} 在该年度没有负责的会议。"


def calendar_fallback(year: int, holidays: int, workdays: int) -> str:
    return (
        f"注意：{year} 年没有官方节假日数据，工作日按周一至周五计算，"
        f"并应用 [calendar] 中的 {holidays} 个假日、{workdays} 个调休工作日。"
    )


def calendar_official(year: int) -> str:
    return f"{year} 年：采用国务院公布的节假日与调休安排。"


def quorum_text(fraction: str, inclusive: bool) -> str:
    return f"不少于 {fraction}" if inclusive else f"超过 {fraction}"


def count_text(low: int, high: int | None) -> str:
    return f"{low}–{high}" if high is not None else f"至少 {low}"


def window_text(first_month: int, last_month: int) -> str:
    return f"{first_month}–{last_month} 月"


def after_text(name: str) -> str:
    return f"须在{name}之后"


def hosted_text(name: str) -> str:
    return f"随{name}召开"


def may_cover_text(names: list[str]) -> str:
    return "可与" + "、".join(names) + "合并召开"


def check_config_ok(path: str) -> str:
    return f"配置有效：{path}"


def check_branch(name: str, zone: str, send_time: str) -> str:
    return f"支部：{name}（时区 {zone}，提醒发送时间 {send_time}）"


def check_token(present: bool, from_env: bool) -> str:
    if not present:
        return "Telegram 令牌：未配置（plan、check-config 不需要；运行机器人前须配置）"
    return "Telegram 令牌：已配置" + ("（来自环境变量 ZHIBU_TELEGRAM_TOKEN）" if from_env else "")


def check_database(url: str) -> str:
    return f"数据库：{url}"


def check_escalation(committee_days: int, superior_days: int, superior: bool) -> str:
    third = "上级党组织联系人" if superior else "上级党组织联系人（未配置，不发送）"
    return f"督办：截止后第一个工作日告知书记；{committee_days} 天后告知全体支委；{superior_days} 天后告知{third}"


def check_heading(title: str, count: int | None = None) -> str:
    return f"{title}（{count}）：" if count is not None else f"{title}："


CHECK_MEMBERS = "名册"
CHECK_GROUPS = "党小组"
CHECK_SYSTEMS = "制度"
CHECK_CALENDAR = "日历"


# --- command line: status (storage) ----------------------------------------

STATUS_COLUMNS = ("制度", "党小组", "周期", "截止日期", "状态", "记录", "计划日期")


def cli_status_title(branch_name: str, today: date) -> str:
    return f"{branch_name} 完成情况（截至 {format_date(today)}）"


# --- records for inspection: ledger, archive, audit (export) ----------------

EXPORT_SHEET_SUMMARY = "汇总"
EXPORT_SHEET_AUDIT = "修改记录"
EXPORT_CREATOR = "支部通"
EXPORT_GRID_CORNER = "会议制度"
EXPORT_NO_SYSTEMS = "未启用任何会议制度"
EXPORT_LEGEND_TITLE = "图例"
EXPORT_BLANK = "空白"
EXPORT_COMPLETION_BY_SYSTEM = "各会议制度完成率"
EXPORT_COMPLETION_BY_GROUP = "各党小组完成率（党小组会、组织生活会）"
EXPORT_COMPLETION_HEADERS = ("名称", "应完成（已到期）", "已完成", "完成率")
EXPORT_NOT_DUE = "—"
EXPORT_NOTHING = "无"
EXPORT_SITTING_HEADERS = (
    "日期",
    "主题",
    "党小组",
    "主持人/负责人",
    "出席/应到",
    "缺席人员及原因",
    "涵盖会议",
    "认定",
    "不计入原因",
    "会议记录",
    "照片数",
    "登记人",
    "登记时间",
    "补录",
    "记录编号",
)
EXPORT_NO_SITTINGS = "本年度无会议记录"
EXPORT_COUNTS = "计入"
EXPORT_NOT_COUNTED = "不计入"
EXPORT_MINUTES_PRESENT = "有"
EXPORT_MINUTES_PENDING = "待补"
EXPORT_MINUTES_NONE = "无"
EXPORT_LATE = "是"
EXPORT_AUDIT_HEADERS = ("时间", "操作人", "记录编号", "会议", "操作", "字段", "修改前", "修改后")
EXPORT_NO_AUDIT = "无修改记录"
AUDIT_ACTIONS = {"create": "登记", "amend": "修改", "attach": "补充附件"}
AUDIT_FIELDS = {
    "topic": "主题",
    "held_on": "召开日期",
    "minutes_text": "会议记录（文字）",
    "minutes_deferred": "会议记录待补",
    "photos_deferred": "照片待补",
    "photo": "照片",
    "minutes": "会议记录（文件）",
    "standalone": "单独召开",
    "group_key": "党小组",
    "late": "补录",
}
AUDIT_NONE = "没有修改记录。"
AUDIT_TABLE_HEADERS = ("时间", "操作人", "记录", "操作", "字段", "修改前", "修改后")

# Names inside the archive (one folder per sitting).
EXPORT_MINUTES_STEM = "会议记录"
EXPORT_PHOTO_STEM = "照片"
EXPORT_ATTENDANCE_STEM = "出席情况"
EXPORT_INFO_STEM = "会议信息"
EXPORT_ATTENDANCE_HEADERS = ("姓名", "出席情况", "缺席原因")
EXPORT_PRESENT = "出席"
EXPORT_ABSENT = "缺席"


def export_ledger_title(branch: str, year: int) -> str:
    return f"{branch} {year} 年度会议制度落实台账"


def export_as_of(today: date) -> str:
    return f"统计截至 {format_date(today)}；✓ 已完成，✗ 已逾期，⚠ 需关注（不符合要求、进行中或即将到期），空白为未开始。"


def export_quorum_numbers(present: int, expected: int, needed: int | None) -> str:
    text = f"（出席 {present} 人，应到 {expected} 人"
    return text + (f"，至少需 {needed} 人）" if needed is not None else "）")


def export_window_months(first: int, last: int) -> str:
    return f"（应在 {first}–{last} 月召开）"


def export_record_label(held_on: date, system: str, topic: str) -> str:
    return f"{held_on.isoformat()} {system}：{topic}"


def export_ledger_name(branch: str, year: int) -> str:
    return f"{branch}_{year}年台账.xlsx"


def export_archive_name(branch: str, year: int, part: int, parts: int) -> str:
    if parts == 1:
        return f"{branch}_{year}年会议档案.zip"
    return f"{branch}_{year}年会议档案_第{part}卷（共{parts}卷）.zip"


def export_verdict_line(system: str, counts: bool, reason: str) -> str:
    return f"{system}：计入" if counts else f"{system}：不计入，{reason}"


def export_sitting_info(
    *,
    record_id: int,
    system: str,
    covers: list[str],
    group: str,
    held_on: date,
    topic: str,
    present: int,
    expected: int,
    verdicts: list[str],
    minutes: str,
    photos: int,
    logged_by: str,
    logged_at: str,  # branch zone, YYYY-MM-DD HH:MM
    late: bool,
    missing: list[str],
) -> str:
    lines = [f"记录编号：{record_id}", f"会议：{system}"]
    if covers:
        lines.append("同时作为：" + "、".join(covers))
    if group:
        lines.append(f"党小组：{group}")
    lines += [
        f"召开日期：{held_on.isoformat()}",
        f"主题：{topic}",
        f"出席：{present} 人，应到 {expected} 人（名单见 出席情况.csv）",
        "认定：" + "；".join(verdicts),
        f"会议记录：{minutes}",
        f"照片：{photos} 张",
        f"登记人：{logged_by}，登记时间：{logged_at}" + ("（补录）" if late else ""),
    ]
    if missing:
        lines.append("缺失文件（存储目录中找不到）：" + "、".join(missing))
    return "\n".join(lines) + "\n"


EXPORT_USAGE = "用法：/export 或 /export 2026（导出该年度的台账和会议档案）"


def export_year_bad(latest: int) -> str:
    return f"年份不对。请输入 2000–{latest} 之间的年份，例如 /export {latest}"


def export_working(year: int) -> str:
    return f"正在生成 {year} 年度台账和会议档案，请稍候……"


def export_ledger_caption(year: int, sittings: int) -> str:
    return f"{year} 年度台账：共 {sittings} 次会议。"


def export_archive_caption(year: int, part: int, parts: int) -> str:
    text = f"{year} 年度会议档案（会议记录、照片、出席情况；manifest.sha256 为校验和）"
    return text if parts == 1 else text + f"，第 {part} 卷，共 {parts} 卷"


EXPORT_FAILED = "导出失败，请稍后重试或联系管理员。"


def export_cli_done(year: int, sittings: int) -> str:
    return f"{year} 年度：共 {sittings} 次会议，已写出："


def audit_created(held_on: str, topic: str, present: list[str]) -> str:
    return f"召开日期 {held_on}；主题 {topic}；出席 {len(present)} 人：{'、'.join(present)}"


# --- command line: invite (storage) ----------------------------------------


def cli_invite_manual(name: str, code: str, days: int) -> str:
    return f"{name}的一次性邀请码（{days}天内有效，仅可使用一次）。请本人在与机器人的私聊中发送：\n/start {code}"


def cli_invite_code(code: str) -> str:
    return f"邀请码：{code}"


# --- reminders and escalation (engine) ------------------------------------------------

ENGINE_BUTTON_LOG = "登记会议"
ENGINE_BUTTON_PLAN = "已定日期"
ENGINE_BUTTON_SNOOZE = "稍后提醒"
ENGINE_KEEP = "请按要求留存会议记录（纪要）和照片。"
ENGINE_SUPERIOR_HEADER = "【督办提醒】"


def engine_obligation(system_name: str, group_name: str | None, period: str) -> str:
    """``党小组会（第一党小组）2026年3月``."""
    return f"{system_name}（{group_name}）{period}" if group_name else f"{system_name} {period}"


def engine_reminder(variant: str, what: str, deadline: date, days_left: int, planned_on: date | None) -> str:
    if variant == "opening":
        head = f"📅 新周期开始：{what}，截止 {format_date(deadline)}（还有 {days_left} 天）。"
    elif variant == "planned_eve" and planned_on is not None:
        head = f"⏰ 明天（{format_date(planned_on)}）计划召开{what}，截止 {format_date(deadline)}（还有 {days_left} 天）。"
    elif variant == "planned_day" and planned_on is not None:
        head = f"⏰ 今天计划召开{what}，截止 {format_date(deadline)}（还有 {days_left} 天）。"
    elif variant == "snooze":
        head = f"🔔 再次提醒：{what}尚未登记，截止 {format_date(deadline)}（还有 {days_left} 天）。"
    else:
        head = f"🔔 提醒：{what}尚未登记，截止 {format_date(deadline)}（还有 {days_left} 天）。"
    if days_left < 0:
        head = f"🔔 提醒：{what}已逾期 {-days_left} 天（截止 {format_date(deadline)}），请尽快召开并补录。"
    tail = "会后请点“登记会议”登记；已定日期请点“已定日期”，我会在前一个工作日和当天提醒。"
    return f"{head}\n{ENGINE_KEEP}\n{tail}"


def engine_overdue_notice(what: str, deadline: date, days_overdue: int) -> str:
    return (
        f"⚠️ 已逾期：{what}已逾期 {days_overdue} 天（截止 {format_date(deadline)}），尚无有效记录。"
        f"\n已告知支部书记。请尽快召开并点“登记会议”补录。"
    )


def engine_escalation(
    level: int, what: str, deadline: date, days_overdue: int, responsible: list[str], branch: str = ""
) -> str:
    who = "、".join(responsible) or "—"
    head = f"{ENGINE_SUPERIOR_HEADER}{branch}" if level == 3 else "⚠️ 逾期督办"
    return (
        f"{head}（第 {level} 级）：{what}已逾期 {days_overdue} 天（截止 {format_date(deadline)}），尚无有效记录。"
        f"\n负责人：{who}。"
    )


ENGINE_DIGEST_MAX_LINES = 40


def engine_digest(week_start: date, due: list[str], overdue: list[str], branch: str = "") -> str:
    lines = [f"📋 {branch}本周提要（{format_date(week_start)} 起）"]
    for title, items in (("本周到期", due), ("已逾期", overdue)):
        lines.append(f"{title}：" + ("" if items else "无"))
        lines += [f"· {item}" for item in items[:ENGINE_DIGEST_MAX_LINES]]
        if len(items) > ENGINE_DIGEST_MAX_LINES:
            lines.append(f"……另有 {len(items) - ENGINE_DIGEST_MAX_LINES} 项，详见 /overdue")
    return "\n".join(lines)


def engine_absence(name: str, since: date, months: int) -> str:
    return f"👤 {name} 自 {format_date(since)} 起已连续 {months} 个月未参加支部的任何会议，请关注并谈心谈话。"


ENGINE_MISSING = {"minutes": "会议纪要", "photos": "会议照片"}


def engine_follow_up(what: str, record_id: int, missing: list[str]) -> str:
    items = "和".join(ENGINE_MISSING.get(m, m) for m in missing)
    return f"📎 补充提醒：{what}的记录（编号 {record_id}）还缺{items}。请在 /records 中打开该记录补充。"


def engine_unreachable(name: str) -> str:
    return f"⚠️ 无法给 {name} 发送消息（已屏蔽机器人或账号不可用），此后的提醒不再发给 TA。请当面联系，必要时重新 /invite。"


ENGINE_PLAN_ASK = "请选择计划召开的日期，或直接输入日期（如 2026-03-28 或 3月28日）。发送 /cancel 可退出。"
ENGINE_PLAN_UNREADABLE = "没能识别这个日期。请输入如 2026-03-28 或 3月28日，或点上方按钮。"
ENGINE_PLAN_PAST = "计划日期不能早于今天，请重新输入。"
ENGINE_PLAN_TOO_FAR = "计划日期太远了（不超过一年），请重新输入。"
ENGINE_PLAN_CANCELLED = "已退出，未设定计划日期。"
ENGINE_NOT_RESPONSIBLE = "只有该事项的负责人和支部书记可以操作这个按钮。"
ENGINE_ALREADY_DONE = "这项会议已经登记并计入，无需再提醒。"
ENGINE_BUTTON_STALE = "这个按钮已失效。"


def engine_plan_saved(what: str, day: date, after_deadline: bool) -> str:
    text = f"已记下：{what}计划于 {format_date(day)} 召开。我会在前一个工作日和当天提醒。"
    if after_deadline:
        text += "\n注意：该日期晚于截止日期，逾期督办仍会照常进行。"
    return text


def engine_snoozed(what: str, day: date) -> str:
    return f"好的，{format_date(day)}（下一个工作日）再提醒您{what}。逾期督办不受影响。"


SIMULATE_COLUMNS = ("发送时间", "类型", "级别", "制度", "党小组", "周期", "收件人")
SIMULATE_KINDS = {
    "reminder": "提醒",
    "escalation": "督办",
    "digest": "周报",
    "absence_warning": "缺席提示",
    "follow_up": "补充提醒",
}
SIMULATE_RECIPIENTS = {"superior": "上级党组织联系人", "branch_chat": "支部群"}


def simulate_title(branch: str, start: date, end: date, count: int) -> str:
    return f"{branch}：{format_date(start)} 至 {format_date(end)} 将发送 {count} 条消息（模拟，未实际发送）"


# --- command line: doctor (operations) ----------------------------------------

DOCTOR_NAMES = {
    "config": "配置",
    "database": "数据库",
    "telegram": "Telegram",
    "media": "媒体目录",
    "calendar": "节假日数据",
}
DOCTOR_FIX_CONFIG = "按提示修改配置文件，再运行 zhibu check-config 核对"
DOCTOR_FIX_DB_CONNECT = "检查 database.url，确认数据库服务已启动、主机、用户和密码正确"
DOCTOR_FIX_DB_UPGRADE = "停止机器人后运行 zhibu db upgrade（zhibu run 启动时也会自动升级）"
DOCTOR_FIX_DB_CREATE = "运行 zhibu db upgrade 创建数据库（zhibu run 启动时也会创建）；若数据库应已存在，检查 database.url"
DOCTOR_FIX_TOKEN_MISSING = "在配置 telegram.token 或环境变量 ZHIBU_TELEGRAM_TOKEN 中填写 @BotFather 给出的令牌"
DOCTOR_FIX_TOKEN_REFUSED = "核对令牌是否完整、是否已在 @BotFather 处重新生成（旧令牌随即失效）"
DOCTOR_FIX_TELEGRAM_NETWORK = "检查网络、防火墙和代理；使用自建 Bot API 服务器时检查 telegram.base_url"
DOCTOR_FIX_MEDIA = "创建该目录并让运行 zhibu 的用户可写，或修改 storage.media_dir"
DOCTOR_FIX_DISK = "清理磁盘或把 storage.media_dir 移到空间充足的磁盘"
DOCTOR_FIX_CALENDAR = ("升级 chinesecalendar（pip install -U chinesecalendar），"
                       "或在配置 [calendar] holidays / workdays 中列出当年的放假和调休日期")
DOCTOR_SKIPPED = "配置无效，其余检查未进行。"


def doctor_line(name: str, ok: bool, detail: str, fix: str = "") -> str:
    """One line per check: a mark, the check, what was found and, for a problem, how to fix it."""
    mark = "✓" if ok else "✗"
    line = f"{mark} {DOCTOR_NAMES.get(name, name)}：{detail}"
    return line if ok or not fix else f"{line}。处理：{fix}。"


def doctor_summary(total: int, failed: list[str]) -> str:
    if not failed:
        return f"共 {total} 项检查，全部通过。"
    names = "、".join(DOCTOR_NAMES.get(name, name) for name in failed)
    return f"共 {total} 项检查，{len(failed)} 项有问题：{names}。"


def doctor_config_ok(path: str, members: int, groups: int, systems: int) -> str:
    return f"{path} 有效（{members} 名党员，{groups} 个党小组，启用 {systems} 项制度）"


def doctor_db_missing(path: str) -> str:
    return f"数据库文件 {path} 还不存在"


def doctor_db_unreachable(url: str, reason: str) -> str:
    return f"无法连接 {url}（{reason}）"


def doctor_db_outdated(url: str, current: str | None, head: str | None) -> str:
    found = f"结构版本为 {current}" if current else "尚未建表"
    return f"{url} {found}，最新版本为 {head}"


def doctor_db_ok(url: str, revision: str | None) -> str:
    return f"{url} 可连接，结构为最新版本（{revision}）"


def doctor_token_missing() -> str:
    return "未设置机器人令牌"


def doctor_token_refused(api: str) -> str:
    return f"{api} 拒绝了机器人令牌（401 Unauthorized）"


def doctor_telegram_unreachable(api: str, seconds: float, reason: str) -> str:
    return f"未能从 {api} 取得 getMe（{reason}；超时设为 {seconds:g} 秒）"


def doctor_telegram_ok(username: str, bot_id: int, api: str) -> str:
    return f"机器人 @{username}（id {bot_id}）可用，经由 {api}"


def doctor_media_not_dir(path: str) -> str:
    return f"{path} 不是目录"


def doctor_media_not_writable(path: str, reason: str) -> str:
    return f"{path} 不可写（{reason}）"


def doctor_media_low_space(path: str, free_mb: int) -> str:
    return f"{path} 所在磁盘只剩 {free_mb} MB"


def doctor_media_ok(path: str, free_gb: float, exists: bool) -> str:
    where = path if exists else f"{path}（尚不存在，首次使用时创建）"
    return f"{where} 可写，剩余 {free_gb:.1f} GB"


def doctor_calendar_missing(years: list[int], package_version: str, covered_to: int) -> str:
    listed = "、".join(f"{year} 年" for year in years)
    return (f"{listed}没有官方节假日数据（已安装的 chinesecalendar {package_version} 只到 {covered_to} 年），"
            "届时按周一至周五计算工作日")


def doctor_calendar_ok(years: list[int], from_config: list[int]) -> str:
    parts = [f"{year} 年" + ("按配置 [calendar] 中的安排" if year in from_config else "有官方数据") for year in years]
    return "，".join(parts)


# --- small labels used by the engine, amendments, export and the audit trail --------

WEEKDAY_NAMES = "一二三四五六日"
LATE_MARK = "（补录）"
YES_NO = {True: "是", False: "否"}


def day_button(day: date) -> str:
    return f"{day.month}月{day.day}日（{WEEKDAY_NAMES[day.weekday()]}）"


def due_item(label: str, deadline: date) -> str:
    return f"{label}（截止 {format_date(deadline)}）"


def month_label(month: int) -> str:
    return f"{month}月"

