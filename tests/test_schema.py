"""One schema (issue 13, item 4): the README's table, ``model.Article``, the importer's key
order, validation and the JSON Schema all come from ``casebook/schema.py``."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

from casebook import schema
from casebook.importer.writer import CASE_KEYS, front_matter
from casebook.model import Article, SubCase
from casebook.taxonomy import load_practices, load_provinces

from .conftest import ROOT

#: ``Article`` fields that are not front-matter keys: where the case came from, what was
#: found in its body, where messages point.
NOT_FRONT_MATTER = {"path", "body", "body_line", "excerpt", "lead_repeats_body", "slug_line", "placeholders",
                    "pictures"}


def _readme_table() -> list[str]:
    text = (ROOT / "README.md").read_text("utf-8")
    start = text.index("| key | required | type | meaning |")
    return text[start:text.index("\n\n", start)].split("\n")


def test_the_readme_table_is_the_schema() -> None:
    expected = ["| key | required | type | meaning |", "|---|---|---|---|"] + [
        f"| `{f.name}` | {'yes¹' if f.required else 'no'} | {schema.KINDS[f.kind][0]} | {f.meaning} |"
        for f in schema.FIELDS]
    assert _readme_table() == expected, "README table, as the schema has it:\n" + "\n".join(expected)


def test_article_and_subcase_have_the_schema_fields() -> None:
    fields = {f.name for f in dataclasses.fields(Article)} - NOT_FRONT_MATTER
    assert fields == set(schema.KEYS)
    assert {f.name for f in dataclasses.fields(SubCase)} == {f.name for f in schema.CASE_FIELDS}


def test_the_importer_writes_keys_in_schema_order() -> None:
    values = {"draft": True, "summary": "概要", "title": "标题", "practices": ["养老服务"], "province": "河南省",
              "cases": [{"anchor": "a", "name": "甲", "province": "河南省"}]}
    keys = re.findall(r"^(\w+):", front_matter(values), re.MULTILINE)
    assert keys == ["title", "province", "practices", "summary", "cases", "draft"]
    assert CASE_KEYS == ("name", "province", "city", "county", "anchor", "practices")


def test_json_schema_follows_the_table_and_the_vocabularies(project: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run_cli(project, "schema")
    assert code == 0, err
    printed = json.loads(out)
    assert printed == schema.json_schema(load_provinces(), load_practices(project / "data/practices.yaml"))
    assert list(printed["properties"]) == list(schema.KEYS)
    assert printed["additionalProperties"] is False
    assert printed["else"]["required"] == ["title", "province", "practices"]
    assert printed["if"] == {"properties": {"draft": {"const": True}}, "required": ["draft"]}
    assert len(printed["properties"]["province"]["enum"]) == 34
    practices = printed["properties"]["practices"]["anyOf"]
    assert "养老服务" in practices[0]["enum"] and practices[1]["minItems"] == 1
    case = printed["properties"]["cases"]["items"]
    assert case["required"] == ["name", "province", "anchor"] and not case["additionalProperties"]
    date = re.compile(printed["properties"]["date"]["pattern"])
    assert date.match("2023-03-05") and date.match("2023-03") and not date.match("2023/3/5")


def test_an_edited_vocabulary_is_in_the_printed_schema(project: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    vocab = project / "data/practices.yaml"
    vocab.write_text(vocab.read_text("utf-8") + "- {name: 新实践, slug: new-practice, description: 新。, keywords: [新]}\n",
                     "utf-8")
    out = run_cli(project, "schema")[1]
    assert "新实践" in json.loads(out)["properties"]["practices"]["anyOf"][0]["enum"]
