"""A record's status history: where it starts, its order, its steps, its last status."""

from __future__ import annotations

from springrain.model import statuses
from springrain.validate.checks.registry import Check, Finding, RecordContext, register, rule

HISTORY_FIRST = rule(
    "history.first",
    "error",
    "历程起点不对",
    "「状态历程」的第一项应为“{initial}”，日期与「提交日期」{submitted} 相同。",
    "The first history event must be {initial} on the submission date {submitted}.",
)
HISTORY_ORDER = rule(
    "history.order",
    "error",
    "历程日期顺序错误",
    "「状态历程」第{index}项的日期 {date} 早于前一项 {previous}。请按时间先后排列。",
    "History event {index} ({date}) is dated before the one before it ({previous}).",
)
HISTORY_STATUS = rule(
    "history.status_mismatch",
    "error",
    "当前状态与历程不符",
    "「当前状态」是“{status}”，但「状态历程」最后一项是“{last}”。两者应一致。",
    "Status {status} differs from the last history event {last}.",
)
HISTORY_TRANSITION = rule(
    "history.transition",
    "error",
    "状态变化不合规",
    "「状态历程」第{index}项从“{previous}”直接变为“{status}”，这不是允许的状态变化。"
    "允许的变化见 schemas/vocab/transitions.csv；如确有跳过，请补上中间的状态。",
    "History event {index}: {previous} → {status} is not a legal transition "
    "(see schemas/vocab/transitions.csv).",
)


@register
class History(Check):
    """Starts with the initial status on the submission date (for kinds with transitions),
    runs in date order through legal steps, and ends in the current status."""

    inspects = "record"
    rules = (HISTORY_FIRST, HISTORY_ORDER, HISTORY_STATUS, HISTORY_TRANSITION)
    kinds = tuple(statuses.VOCABULARY)

    def check(self, context: RecordContext) -> list[Finding]:
        record, file = context.record, context.file
        history = record.get("history")
        if not isinstance(history, list) or not history:
            return []
        events = [
            e
            for e in history
            if isinstance(e, dict)
            and isinstance(e.get("date"), str)
            and isinstance(e.get("status"), str)
        ]
        if len(events) != len(history):
            return []  # the schema reports malformed events
        legal = statuses.transitions(context.kind)
        findings = []
        submitted = record.get("submitted")
        initial = statuses.initial(context.kind)
        if legal is not None and (events[0]["status"] != initial or events[0]["date"] != submitted):
            findings.append(
                HISTORY_FIRST.at(file, "/history/0", submitted=submitted, initial=initial)
            )
        for index in range(1, len(events)):
            previous, event = events[index - 1], events[index]
            if event["date"] < previous["date"]:
                findings.append(
                    HISTORY_ORDER.at(
                        file,
                        f"/history/{index}/date",
                        index=index + 1,
                        date=event["date"],
                        previous=previous["date"],
                    )
                )
            if legal is not None and (previous["status"], event["status"]) not in legal:
                findings.append(
                    HISTORY_TRANSITION.at(
                        file,
                        f"/history/{index}/status",
                        index=index + 1,
                        previous=previous["status"],
                        status=event["status"],
                    )
                )
        status = record.get("status")
        if isinstance(status, str) and status != events[-1]["status"]:
            findings.append(
                HISTORY_STATUS.at(file, "/status", status=status, last=events[-1]["status"])
            )
        return findings
