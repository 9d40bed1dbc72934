"""Every published figure, defined once: a code with its Chinese and English definition.

The site shows these texts beside the figures; ``stats.json`` carries them under
``definitions``; the ``stats_definitions`` table publishes them with the data.
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
    zh: str
    en: str


DEFINITIONS: dict[str, Metric] = {}


def metric(code: str, zh: str, en: str) -> Metric:
    if code in DEFINITIONS:
        raise ValueError(f"metric {code} defined twice")
    DEFINITIONS[code] = Metric(code, zh, en)
    return DEFINITIONS[code]


metric(
    "as_of",
    "统计截止日期：设置了 SOURCE_DATE_EPOCH 时取其日期，否则取数据中出现的最晚日期（状态事件、提交、合作、注册通道及各表的日期），从不取当天日期，因此同样的数据总得到同样的数字。",
    "The date the figures are as of: the date of SOURCE_DATE_EPOCH if set, else the latest "
    "date found in the data; never the clock, so the same data always gives the same figures.",
)
metric(
    "current",
    "当前数：截至统计日，当前状态为该状态的项目数（撤回、清退的项目计入其最终状态）。",
    "Projects whose current status is this status as of the date (withdrawn and removed "
    "projects count under their final status).",
)
metric(
    "ever",
    "累计到达数：状态历程中出现过该状态的项目数；同一项目多次进入同一状态只计一次；跳过的阶段不计为到达。",
    "Projects whose history contains this status at least once; a project entering it "
    "twice counts once; a stage skipped is not counted as reached.",
)
metric(
    "conversion_to_next",
    "向后转化率：在到达该阶段的项目中，后来又到达主流程中任一更后阶段的项目所占比例（跳过下一阶段直接进入更后阶段的也算转化）；终止状态和“获批上市”不计算。",
    "Of the projects that reached this stage, the share that later reached any later stage "
    "of the main path (skipping the next stage counts as moving on); not computed for "
    "terminal statuses.",
)
metric(
    "median_days",
    "阶段停留天数中位数：已离开该阶段的项目在该阶段停留天数的中位数；停留天数为从进入该阶段到下一个不同状态事件的天数，多次进入时各次相加；仍处于该阶段的项目不计入（其停留时间尚未结束）。",
    "Median, over projects that have left the stage, of the days spent in it: from entering "
    "it to the next event of another status, summed over repeated visits; projects still in "
    "the stage are left out (their time is not yet known).",
)
metric(
    "total",
    "项目总数：该分组中的项目数（含撤回、清退）。",
    "Projects in the group, withdrawn and removed ones included.",
)
metric(
    "breakdown_quarter",
    "提交季度：按项目提交日期所在的日历季度分组。",
    "Calendar quarter of the project's submission date.",
)
metric(
    "stalled",
    f"停滞项目：已入库（入围清单）或更后阶段、尚未终止，且最近一次状态事件距统计日超过{STALLED_DAYS}天的项目；按沪药监械注〔2026〕69号，入围满6个月无正当理由停滞的项目应在下一轮评审时再评估。",
    f"Projects shortlisted or later, not in a terminal status, whose last history event is "
    f"more than {STALLED_DAYS} days before the date: due for re-evaluation at the next review.",
)
metric(
    "days_since",
    "距最近事件天数：统计日减去最近一次状态事件日期的天数。",
    "Days from the project's last history event to the date.",
)
metric(
    "next_review",
    "下一轮评审：统计日所在月份起的第一个5月或11月（上海每年5月、11月组织专家评审；其他地区未公布评审节奏，暂按同一节奏提示）。",
    "The first May or November from the month of the date on (Shanghai reviews every May and "
    "November; other programmes publish no rhythm, so the same one is shown).",
)
metric(
    "target_actual",
    "目标实际完成数：按记录计算的数。“每年”目标为统计日所在年度（限于目标期内）的数，“累计”目标为目标期开始至统计日（不晚于完成时限）的数；只统计属于该目标所属行动方案的项目。",
    "The count computed from the records: for a yearly target, in the calendar year of the "
    "date (within the target period); for a cumulative one, from the period start to the "
    "date (no later than the deadline); only projects of the target's programme.",
)
metric(
    "required_pace",
    "所需进度：为在期限前达到目标，剩余时间内平均每年还需完成的数；期限已过时不计算。",
    "What is still needed per year, on average, to meet the target by its deadline; not "
    "computed once the deadline has passed.",
)
metric(
    "actual_pace",
    "实际进度：到统计日为止平均每年完成的数（实际数 ÷ 已过天数 × 365）。",
    "What has been achieved per year so far (actual ÷ days elapsed × 365).",
)
metric(
    "on_track",
    "是否按进度：期限未到时，若按实际进度持续到期限能达到目标则为“是”；期限已过时，按实际数是否达到目标判断；目标期尚未开始时不判断。",
    "Before the deadline: whether the actual pace kept up to the deadline meets the target; "
    "after it: whether the actual count met it; not judged before the period starts.",
)
metric(
    "supported",
    "能否由记录计算：记录中没有相应信息的目标（如注册辅导会场次、示范服务平台数）显示为“记录暂不支持”，而不是显示为零。",
    "Whether the records can support the target at all; where they cannot (coaching "
    "sessions, demonstration platforms) this is said instead of showing zero.",
)
metric(
    "reported",
    "公开报道的数字：来自官方文件和新闻报道的原始数字，注明出处，仅作对照，不与按记录计算的数字合并。",
    "Figures from official documents and press reports, with their source; shown beside the "
    "computed figures, never mixed into them.",
)
