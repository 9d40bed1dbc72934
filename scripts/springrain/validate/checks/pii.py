"""Personal contact data: mobiles, landlines, resident ID numbers and e-mail addresses, in
any spelling (``springrain.validate.contacts`` finds them), never published."""

from __future__ import annotations

from springrain.validate import contacts
from springrain.validate.checks.registry import (
    Check,
    Finding,
    RecordContext,
    TextContext,
    register,
    rule,
)

MOBILE_KIND, LANDLINE_KIND, ID_KIND, EMAIL_KIND, CROWDED_KIND = (
    contacts.MOBILE,
    contacts.LANDLINE,
    contacts.ID_NUMBER,
    contacts.EMAIL,
    contacts.CROWDED,
)

MOBILE = rule(
    "pii.mobile",
    "error",
    "手机号码",
    "「{field}」中出现了手机号码（{masked}）。公开数据不能包含个人联系方式，请删除，"
    "并在「联系途径」中填写单位的成果转化部门或平台。",
    "{field_en} contains a mobile phone number ({masked}); personal contact data may not be "
    "published. Remove it and give an institutional contact route instead.",
)
ID_NUMBER = rule(
    "pii.id_number",
    "error",
    "身份证号码",
    "「{field}」中出现了居民身份证号码（{masked}）。公开数据不能包含身份证号，请删除。",
    "{field_en} contains a resident ID number ({masked}); remove it.",
)
EMAIL = rule(
    "pii.email",
    "error",
    "电子邮箱",
    "「{field}」中出现了电子邮箱（{masked}）。公开数据不能包含邮箱地址，请删除，"
    "并在「联系途径」中填写单位的成果转化部门或平台。",
    "{field_en} contains an e-mail address ({masked}); remove it and give an institutional "
    "contact route instead.",
)

LANDLINE = rule(
    "pii.landline",
    "error",
    "固定电话号码",
    "「{field}」中出现了带区号的电话号码（{masked}）。公开数据不能包含个人联系方式，请删除，"
    "并在「联系途径」中填写单位的成果转化部门或平台。",
    "{field_en} contains a telephone number with an area code ({masked}); remove it and give "
    "an institutional contact route instead.",
)
CROWDED = rule(
    "pii.crowded",
    "error",
    "号码过多",
    "「{field}」中像电话号码或证件号码的数字串太多，无法逐一检查是否含有个人联系方式。"
    "请删去成串的号码，只保留必要的文字。",
    "{field_en} holds too many phone- or ID-like numbers to check each for contact data; "
    "remove the strings of numbers.",
)
SPLIT = rule(
    "pii.split",
    "error",
    "跨字段的联系方式",
    "把各字段连起来读，出现了{what}（{masked}）：它被拆在相邻的几个字段里。公开数据不能包含个人联系方式，请删除。",
    "Read together, the fields hold {what_en} ({masked}) split across neighbouring fields; "
    "remove it.",
)
CREDIT_CODE_ID = rule(
    "pii.credit_code_id",
    "error",
    "信用代码是身份证号码",
    "「统一社会信用代码」{masked} 同时是一个有效的居民身份证号码，不是企业的信用代码。请对照营业执照填写。",
    "The unified social credit code ({masked}) is a valid resident ID number, not a company's "
    "code; copy the code from the business licence.",
)
RULE_OF = {
    MOBILE_KIND: MOBILE,
    LANDLINE_KIND: LANDLINE,
    ID_KIND: ID_NUMBER,
    EMAIL_KIND: EMAIL,
    CROWDED_KIND: CROWDED,
}
WHAT = {
    MOBILE_KIND: ("手机号码", "a mobile phone number"),
    LANDLINE_KIND: ("电话号码", "a telephone number"),
    ID_KIND: ("居民身份证号码", "a resident ID number"),
    EMAIL_KIND: ("电子邮箱", "an e-mail address"),
    CROWDED_KIND: ("过多像号码的数字串", "too many phone- or ID-like numbers"),
}


def find_pii(text: str) -> list[tuple[str, str]]:
    """``(rule code, masked match)`` for each piece of contact data in one string."""
    return [(RULE_OF[hit.kind].code, hit.masked) for hit in contacts.find(text)]


@register
class ContactData(Check):
    """Personal contact data in any spelling, in any string, and in all of a record's (or a
    table row's) strings read together, so a number split across two fields is found."""

    inspects = "text"
    rules = (MOBILE, LANDLINE, ID_NUMBER, EMAIL, CROWDED, SPLIT)

    def prepare(self) -> None:
        contacts.prepare()

    def check(self, context: TextContext) -> list[Finding]:
        together = contacts.find(context.together)
        if not together:
            return []
        findings: list[Finding] = []
        alone: set[str] = set()
        for pointer, text in context.content:
            if pointer in context.codes:
                continue
            for hit in contacts.find(text):
                zh, en = context.label(pointer)
                alone.add(hit.masked)
                findings.append(
                    RULE_OF[hit.kind].at(
                        context.file, pointer, field=zh, field_en=en, masked=hit.masked
                    )
                )
        for hit in together:
            if hit.masked not in alone:
                what, what_en = WHAT[hit.kind]
                findings.append(
                    SPLIT.at(context.file, "", what=what, what_en=what_en, masked=hit.masked)
                )
        return findings


@register
class CreditCodeIsNoId(Check):
    """A credit code that is also a valid resident ID number is a person's ID."""

    inspects = "record"
    rules = (CREDIT_CODE_ID,)
    kinds = ("enterprise",)

    def check(self, context: RecordContext) -> list[Finding]:
        code = context.record.get("credit_code")
        if isinstance(code, str) and contacts.is_id_number(code.upper()):
            return [
                CREDIT_CODE_ID.at(context.file, "/credit_code", masked=contacts.mask(ID_KIND, code))
            ]
        return []
