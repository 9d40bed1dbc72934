"""Every published figure, defined once: a code, its Chinese name, and its definition in plain
Chinese and in English.

The site shows the Chinese name and definition beside the figures (never the code); the
English text may name the machinery (``SOURCE_DATE_EPOCH``) for developers. ``stats.json``
carries them under ``definitions``; the ``stats_definitions`` table publishes them with the
data.
"""

from __future__ import annotations

from dataclasses import dataclass

STALLED_DAYS = 180
REVIEW_MONTHS = (
    5,
    11,
)  # Shanghai's expert reviews: every May and November (沪药监械注〔2026〕69号)


@dataclass(frozen=True)
class Metric:
    code: str
    title: str  # the Chinese name a reader sees, e.g. 所需进度
    zh: str  # the definition in plain Chinese, without codes or variable names
    en: str


DEFINITIONS: dict[str, Metric] = {}


def metric(code: str, title: str, zh: str, en: str) -> Metric:
    if code in DEFINITIONS:
        raise ValueError(f"metric {code} defined twice")
    DEFINITIONS[code] = Metric(code, title, zh, en)
    return DEFINITIONS[code]


metric(
    "as_of",
    "统计截止日期",
    "数据中出现的最晚日期（状态变化、提交、合作、注册通道及方案、报道的日期），而不是打开网页的当天，"
    "所以同样的数据总得到同样的数字。",
    "The date the figures are as of: the date of SOURCE_DATE_EPOCH if set, else the latest "
    "date found in the data; never the clock, so the same data always gives the same figures.",
)
metric(
    "current",
    "当前数",
    "目前正处于该状态的项目数。撤回、清退的项目计入其最终状态。",
    "Projects whose current status is this status as of the date (withdrawn and removed "
    "projects count under their final status).",
)
metric(
    "ever",
    "到过该状态的项目数",
    "状态历程中出现过该状态的项目数；同一项目多次进入只计一次；跳过的阶段不算到过。",
    "Projects whose history contains this status at least once; a project entering it "
    "twice counts once; a stage skipped is not counted as reached.",
)
metric(
    "reached",
    "走到这一步的项目数（漏斗）",
    "状态历程中出现过该阶段、或出现过其后任一阶段的项目数：从“入库”直接“已签约”的项目，也算走过了"
    "“对接中”。因此从第一步到最后一步，数字只减不增。撤回、清退两行是出现过该状态的项目数。",
    "Projects whose history contains this stage or any later stage of the main path (a "
    "project that skipped a stage has passed it), so the funnel never widens; for the two "
    "exits, the projects whose history contains them.",
)
metric(
    "conversion_to_next",
    "继续向前的比例",
    "到过该阶段的项目中，后来又走到其后任一阶段的项目所占比例（跳过下一阶段也算）。"
    "“获批上市”和撤回、清退不计算。",
    "Of the projects that reached this stage, the share that later reached any later stage "
    "of the main path (skipping the next stage counts as moving on); not computed for "
    "terminal statuses.",
)
metric(
    "median_days",
    "停留天数（中位数）",
    "已离开该阶段的项目在该阶段停留的天数的中位数：从进入该阶段算到下一次状态变化，多次进入时相加。"
    "仍停在该阶段的项目还不知道要停多久，不计入，所以这个数字偏向停留较短的项目。",
    "Median, over projects that have left the stage, of the days spent in it: from entering "
    "it to the next event of another status, summed over repeated visits; projects still in "
    "the stage are left out (their time is not yet known).",
)
metric(
    "total",
    "项目总数",
    "该分组中的全部项目，包括已撤回、已清退的。",
    "Projects in the group, withdrawn and removed ones included.",
)
metric(
    "breakdown_quarter",
    "提交季度",
    "按项目提交日期所在的季度分组。",
    "Calendar quarter of the project's submission date.",
)
metric(
    "stalled",
    "停滞项目",
    f"已入库（入围清单）或走得更远、还没有结束，而且最近一次状态变化距统计截止日期超过{STALLED_DAYS}天的项目。"
    "上海的实施方案（沪药监械注〔2026〕69号）规定，入围后无正当理由停滞超过6个月的项目要在评审会上再评估，"
    "不再具备转化条件的予以清退。",
    f"Projects shortlisted or later, not in a terminal status, whose last history event is "
    f"more than {STALLED_DAYS} days before the date: due for re-evaluation at the next review.",
)
metric(
    "days_since",
    "停滞天数",
    "从最近一次状态变化到统计截止日期的天数。",
    "Days from the project's last history event to the date.",
)
metric(
    "next_review",
    "下一轮评审",
    "统计截止日期所在月份起的第一个5月或11月。上海每年5月、11月组织专家评审；其他地区没有公布评审时间，"
    "这里按同样的时间提示。",
    "The first May or November from the month of the date on (Shanghai reviews every May and "
    "November; other programmes publish no rhythm, so the same one is shown).",
)
metric(
    "programme_projects",
    "本库该方案的项目数",
    "本目录收录的、属于该目标所属行动方案的项目数（任何状态）。为 0 时本库无法判断该方案的进度，"
    "只列出官方公布的数字。",
    "Projects of the target's programme in this repository, any status. When it is 0 the "
    "repository cannot judge the programme's progress and no verdict is given.",
)
metric(
    "target_actual",
    "本库记录的完成数",
    "按本目录的记录数出的数量，只数属于该方案的项目。“每年”的目标数统计截止日期所在的那一年，"
    "“累计”的目标数从目标期开始到统计截止日期。本库只收录公开申报的项目，可能少于官方的数字。",
    "The count computed from the records: for a yearly target, in the calendar year of the "
    "date (within the target period); for a cumulative one, from the period start to the "
    "date (no later than the deadline); only projects of the target's programme.",
)
metric(
    "required_pace",
    "要按期完成，每年还需",
    "为在期限前达到目标，剩下的时间里平均每年还需要完成的数量。期限已过时不计算。",
    "What is still needed per year, on average, to meet the target by its deadline; not "
    "computed once the deadline has passed.",
)
metric(
    "actual_pace",
    "目前的速度（每年）",
    "到统计截止日期为止，平均每年完成的数量：完成数除以已经过去的天数，再乘以365。",
    "What has been achieved per year so far (actual ÷ days elapsed × 365).",
)
metric(
    "on_track",
    "能否按期完成",
    "期限未到：按目前的速度持续到期限能否达到目标；期限已过：完成数是否达到目标。"
    "目标期尚未开始、或本库没有该方案的项目记录时，不作判断。",
    "Before the deadline: whether the actual pace kept up to the deadline meets the target; "
    "after it: whether the actual count met it; not judged before the period starts, nor "
    "when the repository holds no project of the programme.",
)
metric(
    "supported",
    "能否由记录计算",
    "记录里没有相应信息的目标（例如注册辅导会场次、示范服务平台数）写明“记录暂不支持”，不显示为零。",
    "Whether the records can support the target at all; where they cannot (coaching "
    "sessions, demonstration platforms) this is said instead of showing zero.",
)
metric(
    "reported",
    "官方公布的数字",
    "来自官方文件和新闻报道的数字，注明出处，只作对照，不与按记录计算的数字相加或混合。",
    "Figures from official documents and press reports, with their source; shown beside the "
    "computed figures, never mixed into them.",
)
