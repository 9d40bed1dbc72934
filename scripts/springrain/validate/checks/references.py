"""Rules across records: unique ids and references that resolve."""

from __future__ import annotations

from springrain.validate.checks.registry import Check, DatasetContext, Finding, register, rule

ID_DUPLICATE = rule(
    "id.duplicate",
    "error",
    "编号重复",
    "编号 {id} 已被 {other} 使用。编号不能重复，也不能重用；请换用下一个空闲编号。",
    "Id {id} is already used by {other}; ids are unique and never reused.",
)
REF_PROGRAMME = rule(
    "ref.programme",
    "error",
    "行动方案不存在",
    "「所属行动方案」{value} 不在 data/programmes.csv 中。请从该表中选择，或先在表中补充该方案（附来源）。",
    "Programme {value} is not in data/programmes.csv.",
)
REF_PROGRAMME_PROVINCE = rule(
    "ref.programme_province",
    "warning",
    "方案与省份不一致",
    "项目所在省份是 {province}，但「所属行动方案」{value} 属于 {programme_province}。请确认是否填错。",
    "The project is in {province} but programme {value} belongs to {programme_province}.",
)
REF_PROJECT = rule(
    "ref.project",
    "error",
    "项目不存在",
    "「项目编号」{value} 找不到对应的项目记录。请核对编号。",
    "Project {value} does not exist.",
)
REF_ENTERPRISE = rule(
    "ref.enterprise",
    "error",
    "企业不存在",
    "「企业编号」{value} 找不到对应的企业记录。请先登记企业，或核对编号。",
    "Enterprise {value} does not exist.",
)
# Greater-China SARs may take part in Guangdong's programme (its plan supports HK and Macao).
PROGRAMME_GUESTS = {"GD": {"HK", "MO"}}


@register
class UniqueIds(Check):
    """Each id is used by one record file only."""

    inspects = "dataset"
    rules = (ID_DUPLICATE,)

    def check(self, context: DatasetContext) -> list[Finding]:
        findings: list[Finding] = []
        first_file: dict[tuple[str, str], str] = {}
        for s in context.summaries:
            if s.id is None:
                continue
            key = (s.kind, s.id)
            if key in first_file:
                findings.append(ID_DUPLICATE.at(s.file, "/id", id=s.id, other=first_file[key]))
            else:
                first_file[key] = s.file
        return findings


@register
class References(Check):
    """A project's programme is in data/programmes.csv (and of its province, or a guest's);
    a cooperation's project and enterprise exist. Without the programmes table, programme
    references are not checked."""

    inspects = "dataset"
    rules = (REF_PROGRAMME, REF_PROGRAMME_PROVINCE, REF_PROJECT, REF_ENTERPRISE)

    def check(self, context: DatasetContext) -> list[Finding]:
        summaries, programmes = context.summaries, context.programmes
        findings: list[Finding] = []
        project_ids = {s.id for s in summaries if s.kind == "project"}
        enterprise_ids = {s.id for s in summaries if s.kind == "enterprise"}
        for s in summaries:
            if s.kind == "project" and s.programme is not None and programmes is not None:
                if s.programme not in programmes:
                    findings.append(REF_PROGRAMME.at(s.file, "/programme", value=s.programme))
                    continue
                home = programmes[s.programme]
                if home and home != s.province and s.province not in PROGRAMME_GUESTS.get(home, ()):
                    findings.append(
                        REF_PROGRAMME_PROVINCE.at(
                            s.file,
                            "/programme",
                            value=s.programme,
                            province=s.province,
                            programme_province=home,
                        )
                    )
            elif s.kind == "cooperation":
                if s.project is not None and s.project not in project_ids:
                    findings.append(REF_PROJECT.at(s.file, "/project", value=s.project))
                if s.enterprise is not None and s.enterprise not in enterprise_ids:
                    findings.append(REF_ENTERPRISE.at(s.file, "/enterprise", value=s.enterprise))
        return findings
