"""springrain export: the annex templates, filled annexes and the CMDE list (fictional
records: the sheet fixtures and the demo dataset)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import orjson
import pytest
from openpyxl import load_workbook
from test_sheets_support import answer_cell, fixture, make_data, run_import

from springrain.intake.sheets import cmde
from springrain.intake.sheets.writer import write_annex1, write_annex2


def cells(path: Path):
    for ws in load_workbook(path).worksheets:
        for row in ws.iter_rows():
            yield from (c for c in row if c.value is not None)


@pytest.mark.parametrize("annex", ["annex1", "annex2"])
def test_templates(annex: str, run_cli, tmp_path: Path) -> None:
    out = tmp_path / f"{annex}.xlsx"
    code, output = run_cli("export", "--template", annex, "--out", str(out))
    assert code == 0 and str(out) in output
    first = out.read_bytes()
    run_cli("export", "--template", annex, "--out", str(out))
    assert out.read_bytes() == first  # byte-reproducible
    assert all(c.data_type != "f" for c in cells(out))
    wb = load_workbook(out)
    assert wb.sheetnames == [f"附件{annex[-1]}", "可选项"]
    assert wb.properties.creator == "springrain"


def test_text_that_looks_like_a_formula_is_written_as_text(tmp_path: Path) -> None:
    record = {
        **fixture("project"),
        "project_name": '=HYPERLINK("http://x","点")',
        "structure": "+cmd",
        "other_notes": "@SUM(A1)",
        "research_team": "-rf /",
    }
    path = write_annex1(tmp_path / "f.xlsx", record)
    ws = load_workbook(path).worksheets[0]
    for label, value in (
        ("项目名称", record["project_name"]),
        ("产品结构组成", "+cmd"),
        ("其他需说明的情况", "@SUM(A1)"),
        ("研究团队情况", "-rf /"),
    ):
        cell = answer_cell(ws, label)
        assert (cell.value, cell.data_type) == (value, "s")
    assert all(c.data_type != "f" for c in cells(path))
    # …and the importer refuses them back, by cell, rather than reading them as data.
    report = run_import(path, make_data(tmp_path))
    assert not any(w.path for w in report.written)
    assert len([line for line in report.refused if "= + - @" in line.zh or "公式" in line.zh]) == 4


def test_a_control_character_is_refused_not_written(tmp_path: Path) -> None:
    from springrain.errors import SpringrainError

    with pytest.raises(SpringrainError):
        write_annex1(tmp_path / "c.xlsx", {**fixture("project"), "structure": "a\x01b"})
    assert not (tmp_path / "c.xlsx").exists()


@pytest.mark.parametrize(("part", "bar"), [("owners", ["甲|乙"]), ("title", "A｜B")])
def test_a_bar_inside_a_part_of_a_list_line_is_refused_not_written(
    part: str, bar: Any, tmp_path: Path
) -> None:
    """The annex separates the parts of an IP line by |: one inside a part would be read
    back as two parts (and the file refused), so the export says so first."""
    from springrain.errors import SpringrainError

    record = fixture("project")
    ip = [{**record["intellectual_property"][0], part: bar}]
    with pytest.raises(SpringrainError) as refused:
        write_annex1(tmp_path / "c.xlsx", {**record, "intellectual_property": ip})
    assert "竖线" in refused.value.message_zh and record["id"] in refused.value.message_zh
    assert not (tmp_path / "c.xlsx").exists()


def test_a_project_and_a_cooperation_from_the_data_directory(run_cli, tmp_path: Path) -> None:
    data = make_data(tmp_path, records=True)
    out = tmp_path / "p.xlsx"
    code, output = run_cli(
        "export",
        "--project",
        "FJ-2025-0007",
        "--data",
        str(data),
        "--out",
        str(out),
        "--today",
        "2026-06-01",
    )
    assert code == 0, output
    ws = load_workbook(out).worksheets[0]
    assert answer_cell(ws, "项目名称").value == "测试用可降解输尿管支架"
    assert answer_cell(ws, "项目类型").value == "□有源 ☑无源 □体外诊断试剂"
    assert "☑其他（动物实验阶段）" in answer_cell(ws, "项目所处阶段").value
    assert any("项目编号 FJ-2025-0007" in str(c.value) for c in cells(out))
    out2 = tmp_path / "c.xlsx"
    code, output = run_cli(
        "export",
        "--cooperation",
        "COOP-0005",
        "--data",
        str(data),
        "--out",
        str(out2),
        "--today",
        "2026-06-01",
    )
    assert code == 0, output
    ws = load_workbook(out2).worksheets[0]
    assert answer_cell(ws, "企业名称").value == "测试用医疗科技有限公司"
    assert answer_cell(ws, "项目名称").value == "测试用可降解输尿管支架"
    assert answer_cell(ws, "项目申报机构/人").value == "测试用第一医院"
    assert answer_cell(ws, "1.已开展的工作").value == "完成技术评估和样品试制。"
    assert answer_cell(ws, "联系人").value is None and answer_cell(ws, "联系电话").value is None


def test_the_records_must_pass_validation(run_cli, tmp_path: Path) -> None:
    data = make_data(tmp_path, records=True)
    path = data / "projects" / "FJ" / "FJ-2025-0007.json"
    record = orjson.loads(path.read_bytes())
    record["city"] = "福州市 13912345678"
    path.write_bytes(orjson.dumps(record, option=orjson.OPT_INDENT_2) + b"\n")
    out = tmp_path / "p.xlsx"
    code, output = run_cli(
        "export", "--project", "FJ-2025-0007", "--data", str(data), "--out", str(out)
    )
    assert code == 1 and "没有导出" in output and "pii.mobile" in output
    assert not out.exists()


@pytest.mark.parametrize(
    "args, code, words",
    [
        (["--project", "FJ-2025-0099"], 1, "找不到编号为 FJ-2025-0099"),
        (["--project", "COOP-0005"], 1, "不是项目编号"),
        (["--cooperation", "FJ-2025-0007"], 1, "不是合作编号"),
        ([], 2, "只给出"),
        (["--template", "annex1", "--project", "FJ-2025-0007"], 2, "只给出"),
        (["--cmde-list"], 2, "--programme"),
        (["--template", "annex3"], 2, "annex3"),
        (["--cmde-list", "--programme", "XX-2000"], 1, "没有编号为 XX-2000 的行动方案"),
    ],
)
def test_mistakes(args: list[str], code: int, words: str, run_cli, tmp_path: Path) -> None:
    data = make_data(tmp_path, records=True)
    result, output = run_cli(
        "export",
        *args,
        "--data",
        str(data),
        "--out",
        str(tmp_path / "x.xlsx"),
        "--today",
        "2026-06-01",
    )
    assert result == code and words in output and "Traceback" not in output


def test_cooperations_of_two_enterprises_are_refused(run_cli, tmp_path: Path) -> None:
    data = make_data(tmp_path, records=True)
    other = {**fixture("cooperation"), "id": "COOP-0006", "enterprise": "ENT-0004"}
    (data / "cooperations" / "COOP-0006.json").write_bytes(orjson.dumps(other))
    code, output = run_cli(
        "export",
        "--cooperation",
        "COOP-0005",
        "--cooperation",
        "COOP-0006",
        "--data",
        str(data),
        "--out",
        str(tmp_path / "x.xlsx"),
    )
    assert code == 1 and "不同企业" in output


def test_exports_from_a_built_package(demo_copy: Path, run_cli, tmp_path: Path) -> None:
    from springrain import pipeline

    package = tmp_path / "package"
    pipeline.package(demo_copy, package, demo=True)
    projects = orjson.loads((package / "projects.json").read_bytes())
    cooperations = orjson.loads((package / "cooperations.json").read_bytes())
    out = tmp_path / "p.xlsx"
    code, output = run_cli(
        "export", "--project", projects[0]["id"], "--package", str(package), "--out", str(out)
    )
    assert code == 0, output
    texts = [str(c.value) for c in cells(out)]
    assert "示例数据，均为虚构" in texts  # demo records say so on the form
    code, output = run_cli(
        "export",
        "--cooperation",
        cooperations[0]["id"],
        "--package",
        str(package),
        "--out",
        str(tmp_path / "c.xlsx"),
    )
    assert code == 0, output
    programme = "GD-2026-2028"
    code, output = run_cli(
        "export",
        "--cmde-list",
        "--programme",
        programme,
        "--package",
        str(package),
        "--out",
        str(tmp_path / "l.xlsx"),
    )
    assert code == 0, output
    expected = len(cmde.ready(projects, programme))
    assert f"（{expected} 项）" in output
    rows = list(
        load_workbook(tmp_path / "l.xlsx").worksheets[0].iter_rows(min_row=3, values_only=True)
    )
    assert len(rows) == expected


# ---------------------------------------------------------------- the CMDE list


def project(
    number: int, product_class: str, steps: list[tuple[str, str]], **extra: Any
) -> dict[str, Any]:
    history = [{"date": date, "status": status, "source": "测试"} for date, status in steps]
    return {
        "id": f"GD-2026-{number:04d}",
        "programme": "GD-2026-2028",
        "project_name": f"测试用项目{number}",
        "institution": "测试用医院",
        "product_class": product_class,
        "category": "06",
        "stage": "样品",
        "status": history[-1]["status"],
        "history": history,
        **extra,
    }


PATH = [
    ("2026-01-01", "已提交"),
    ("2026-02-01", "初核通过"),
    ("2026-03-01", "入库"),
    ("2026-04-01", "对接中"),
    ("2026-05-01", "已签约"),
    ("2026-06-01", "培育中"),
]
FINALISED = [*PATH, ("2026-07-15", "产品定型")]


def test_which_projects_are_ready_for_cmde(tmp_path: Path) -> None:
    projects = [
        project(
            1,
            "第三类",
            [*FINALISED, ("2026-08-01", "注册检验")],
            regulatory_channels=[{"channel": "创新医疗器械特别审查", "date": "2026-08-02"}],
        ),
        project(2, "第三类", PATH),  # not finalised yet
        project(3, "第二类", FINALISED),  # not class III
        project(4, "第三类", [*FINALISED, ("2026-09-01", "撤回")]),  # withdrawn since
        project(5, "第三类", FINALISED, programme="SH-2026"),  # another programme
        project(
            6,
            "第三类",
            [
                *PATH[:4],
                ("2026-04-20", "已签约"),
                ("2026-05-20", "培育中"),
                ("2026-06-10", "产品定型"),
            ],
            cmde_reported="2026-07-01",
        ),
    ]
    ready = cmde.ready(projects, "GD-2026-2028")
    assert [(date, p["id"]) for date, p in ready] == [
        ("2026-06-10", "GD-2026-0006"),
        ("2026-07-15", "GD-2026-0001"),
    ]
    path, count = cmde.write_cmde_list(
        tmp_path / "l.xlsx", projects, {"id": "GD-2026-2028", "name_zh": "测试方案"}
    )
    assert count == 2
    rows = list(load_workbook(path).worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "报送国家局器审中心的产品清单：测试方案（GD-2026-2028），共 2 项"
    assert list(rows[1]) == [
        "项目编号",
        "项目名称",
        "单位名称",
        "产品分类",
        "分类目录子目录",
        "项目所处阶段",
        "产品定型日期",
        "进入的注册通道",
        "上报国家局器审中心日期",
    ]
    assert (
        rows[2][0] == "GD-2026-0006" and rows[2][6] == "2026-06-10" and rows[2][8] == "2026-07-01"
    )
    assert rows[3][3:8] == (
        "第三类医疗器械",
        "06 医用成像器械",
        "样品阶段",
        "2026-07-15",
        "创新医疗器械特别审查程序（2026-08-02）",
    )


def test_the_cmde_list_from_the_data_directory(demo_copy: Path, run_cli, tmp_path: Path) -> None:
    out = tmp_path / "l.xlsx"
    code, output = run_cli(
        "export",
        "--cmde-list",
        "--programme",
        "GD-2026-2028",
        "--data",
        str(demo_copy),
        "--demo",
        "--out",
        str(out),
    )
    assert code == 0, output
    projects = [orjson.loads(p.read_bytes()) for p in demo_copy.glob("projects/*/*.json")]
    assert f"（{len(cmde.ready(projects, 'GD-2026-2028'))} 项）" in output
    broken = tmp_path / "broken"
    shutil.copytree(demo_copy, broken)
    next(broken.glob("projects/*/*.json")).write_text("{", encoding="utf-8")
    code, output = run_cli(
        "export",
        "--cmde-list",
        "--programme",
        "GD-2026-2028",
        "--data",
        str(broken),
        "--demo",
        "--out",
        str(tmp_path / "b.xlsx"),
    )
    assert code == 1 and "没有导出" in output and not (tmp_path / "b.xlsx").exists()


def test_the_layouts_are_in_the_cli_reference() -> None:
    from springrain.cli.reference import cli_page

    # (tests/test_generated.py checks that the committed page is this one.)
    page = cli_page()
    for words in (
        "## springrain export",
        "产品定型日期",
        "企业技术意向合作情况",
        "补充信息",
        "## springrain import",
        "5000 行",
    ):
        assert words in page


def test_the_site_can_write_an_annex_without_a_record_id(tmp_path: Path) -> None:
    """What the web form's download will call: answers without id, dates or history."""
    answers = {
        k: v
        for k, v in fixture("project").items()
        if k not in ("id", "submitted", "submitted_by", "status", "history")
    }
    path = write_annex1(tmp_path / "web.xlsx", answers)
    report = run_import(path, make_data(tmp_path))
    assert not report.refused, report.render()
    enterprise = {k: v for k, v in fixture("enterprise").items() if k != "id"}
    assert write_annex2(tmp_path / "web2.xlsx", enterprise).is_file()
