"""Each project's regulatory path follows its own programme's document; a province without a
plan in the data gets the national route, citing the national documents."""

from __future__ import annotations

from springrain.model.schemas import vocabulary
from springrain.site import regulatory

PROGRAMMES = {
    "NMPA-2025": {
        "id": "NMPA-2025",
        "level": "国家",
        "province": "",
        "name_zh": "春雨行动——推进医疗器械临床研究成果转化工作方案",
        "document_number": "药监械审函〔2025〕234号",
    },
    "GD-2026-2028": {
        "id": "GD-2026-2028",
        "level": "省",
        "province": "GD",
        "name_zh": "广东省实施方案",
        "issuers": "广东省药品监督管理局",
        "source_file": "000_3921d3070a912acd.txt",
    },
    "SH-2026": {
        "id": "SH-2026",
        "level": "省",
        "province": "SH",
        "name_zh": "上海市实施方案",
        "document_number": "沪药监械注〔2026〕69号",
        "source_file": "002_42d6bff99a03a16a.txt",
    },
    "FJ-2025": {
        "id": "FJ-2025",
        "level": "省",
        "province": "FJ",
        "name_zh": "福建省实施方案",
        "document_number": "闽药监器械〔2025〕18号",
        "source_file": "003_7bddcf8c52ba6662.txt",
    },
}


def _route(programme: str) -> regulatory.Route:
    return regulatory.route_for({"programme": programme}, PROGRAMMES)


def test_each_province_gets_its_own_plans_wording() -> None:
    guangdong, _ = _route("GD-2026-2028").path("第二类")
    shanghai, _ = _route("SH-2026").path("第二类")
    fujian, _ = _route("FJ-2025").path("第二类")
    assert "专人辅导、全程跟踪" in guangdong
    assert "市药品监管局" in shanghai and "专人辅导" not in shanghai
    assert "福建创新服务站" in fujian and "省药品监督管理局按照" not in fujian
    assert "器审中心报送产品清单" in _route("SH-2026").path("第三类")[0]


def test_citations_name_the_programmes_own_document() -> None:
    assert (
        regulatory.citation(_route("SH-2026"), PROGRAMMES)
        == "《上海市实施方案》（沪药监械注〔2026〕69号）"
    )
    assert "广东省实施方案" in regulatory.citation(_route("GD-2026-2028"), PROGRAMMES)


def test_a_province_without_a_plan_gets_the_national_route() -> None:
    for programme in ("NMPA-2025", "NOT-IN-TABLE"):
        route = _route(programme)
        assert route is regulatory.NATIONAL
        text, _steps = route.path("第三类")
        assert "审评前置" in text and "创新医疗器械特别审查" in text
        citation = regulatory.citation(route, PROGRAMMES)
        assert "药监械审函〔2025〕234号" in citation and "广东" not in citation


def test_every_class_has_a_path_on_every_route() -> None:
    for route in (*regulatory.ROUTES, regulatory.NATIONAL):
        for row in vocabulary("classes"):
            text, steps = route.path(row["code"])
            assert text and steps, (route.province, row["code"])
