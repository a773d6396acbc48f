"""A config unlike the example, written by the tests: three groups, a disabled
system, custom offsets and send time, and a quorum override."""

THREE_GROUPS_TOML = """
[branch]
name = "测试支部"

[[groups]]
key = "east"
name = "东区党小组"
leader = "赵一"

[[groups]]
key = "west"
name = "西区党小组"
leader = "钱二"

[[groups]]
key = "north"
name = "北区党小组"
leader = "孙三"

[[members]]
name = "书记甲"
roles = ["secretary", "committee", "leadership"]
group = "east"

[[members]]
name = "赵一"
roles = ["committee"]
group = "east"

[[members]]
name = "钱二"
group = "west"

[[members]]
name = "孙三"
group = "north"

[[members]]
name = "李四"
group = "north"

[systems.party_lecture]
enabled = false

[systems.committee_meeting]
responsible = ["赵一"]
quorum = "2/3+"

[systems.general_assembly]
offsets = [20]

[reminders]
send_time = "08:30"
month = [10, 3]

[calendar]
holidays = [2027-01-01]
"""
