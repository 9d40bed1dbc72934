"""Every date of a record exists and is not in the future."""

from __future__ import annotations

from springrain.model.dates import date_paths, dates_at, is_real_date
from springrain.validate.checks.registry import Check, Finding, RecordContext, register, rule

DATE_INVALID = rule(
    "date.invalid",
    "error",
    "日期不存在",
    "「{field}」的日期 {value} 不存在（例如 2 月没有 30 日）。请改为正确的日期。",
    "{field_en}: {value} is not a real date.",
)
DATE_FUTURE = rule(
    "date.future",
    "error",
    "日期在未来",
    "「{field}」的日期 {value} 晚于今天（{today}）。记录只记载已经发生的事。",
    "{field_en}: {value} is in the future (today is {today}).",
)


@register
class Dates(Check):
    inspects = "record"
    rules = (DATE_INVALID, DATE_FUTURE)

    def check(self, context: RecordContext) -> list[Finding]:
        iso_today = context.today.isoformat()
        findings = []
        for path in date_paths(context.kind):
            for pointer, value in dates_at(context.record, path):
                if not isinstance(value, str) or len(value) != 10:
                    continue  # the schema reports the shape
                if not is_real_date(value):
                    zh, en = context.label(pointer)
                    findings.append(
                        DATE_INVALID.at(context.file, pointer, field=zh, field_en=en, value=value)
                    )
                elif value > iso_today:
                    zh, en = context.label(pointer)
                    findings.append(
                        DATE_FUTURE.at(
                            context.file,
                            pointer,
                            field=zh,
                            field_en=en,
                            value=value,
                            today=iso_today,
                        )
                    )
        return findings
