"""Reading a waste bundle (folder or zip, any of the platform's encodings) and its rules file;
bad input is refused with Chinese, row- and column-precise messages."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest

from ecogov.engine.waste import SCHEMAS
from ecogov.platform.errors import InputError
from ecogov.waste.bundle import read_bundle
from ecogov.waste.simulate import simulate, write_bundle

BUNDLES = Path(__file__).parent / "bundles"
EXAMPLE: dict[str, Any] = {"seed": 2025, "generators": 16, "carriers": 2, "receivers": 3,
                           "planted": 1, "interval_days": 60, "max_codes": 1}  # fmt: skip
"""How ``bundles/example`` was made (``expected.jsonl``: its findings, one per planted anomaly)."""
CLEAN: dict[str, Any] = {"seed": 2026, "generators": 8, "carriers": 2, "receivers": 2,
                         "interval_days": 60, "max_codes": 1}  # fmt: skip
"""How ``bundles/clean`` was made."""


@pytest.mark.parametrize(("name", "made"), [("example", EXAMPLE), ("clean", CLEAN)])
def test_the_example_bundles_are_what_the_simulator_writes(
    name: str, made: dict[str, Any], tmp_path: Path
) -> None:
    arguments = dict(made)
    write_bundle(simulate(arguments.pop("seed"), **arguments), tmp_path)
    for file in [*(f"{table}.csv" for table in SCHEMAS), "rules.toml"]:
        assert (tmp_path / file).read_text() == (BUNDLES / name / file).read_text(), file


def test_a_folder_reads_back_the_simulated_frames(tmp_path: Path) -> None:
    result = simulate(3, generators=20, planted=1)
    write_bundle(result, tmp_path)
    read = read_bundle(tmp_path)
    for table in SCHEMAS:
        assert getattr(read.frames, table).equals(getattr(result.frames, table)), table
    assert read.rules.as_of == result.as_of


def test_a_zip_with_a_top_folder_and_gb18030_files_reads_alike(tmp_path: Path) -> None:
    folder = BUNDLES / "example"
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for item in folder.iterdir():
            data = item.read_text(encoding="utf-8")
            encoded = data.encode("gb18030") if item.name == "parties.csv" else data.encode()
            out.writestr(f"example/{item.name}", encoded)
    assert read_bundle(archive).frames.parties.equals(read_bundle(folder).frames.parties)


def test_missing_tables_are_empty_and_headers_match_in_any_case(tmp_path: Path) -> None:
    (tmp_path / "parties.csv").write_text("Party_ID,KIND\nG1,generator\n", encoding="utf-8-sig")
    read = read_bundle(tmp_path)
    assert read.frames.parties["party_id"].cast(str).to_list() == ["G1"]
    assert read.frames.manifests.is_empty()
    assert read.rules.as_of is None


def test_an_xlsx_table_reads_like_its_csv(tmp_path: Path) -> None:
    from openpyxl import Workbook

    folder = tmp_path / "bundle"
    shutil.copytree(BUNDLES / "clean", folder)
    lines = (folder / "parties.csv").read_text(encoding="utf-8").splitlines()
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for line in lines:
        sheet.append(line.split(","))
    book.save(folder / "parties.xlsx")
    (folder / "parties.csv").unlink()
    assert read_bundle(folder).frames.parties.equals(read_bundle(BUNDLES / "clean").frames.parties)


def _broken(tmp_path: Path, file: str, old: str, new: str) -> Path:
    folder = tmp_path / "bundle"
    shutil.copytree(BUNDLES / "example", folder)
    text = (folder / file).read_text(encoding="utf-8")
    assert old in text
    (folder / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("ledger.csv", ",stored_in,", ",stocked,",
         "ledger.csv：1 行有错误，未作计算：ledger.csv 第 3 行，列「stage」"),
        ("ledger.csv", ",900-", ",HW99-", "列「waste_code」"),
        ("manifests.csv", "2025330", "2025-330", "列「manifest_no」"),
        ("manifests.csv", ",received,", ",,", "列「status」：不能为空"),
        ("parties.csv", "330", "33", "列「region_code」"),
        ("tracks.csv", ",2025-", ",2025年", "不是日期时间"),
        ("ledger.csv", "E00000001", "E00000002", "“E00000002”重复"),
        ("licences.csv", "L000002,R0002,operation,900-249-08", "L000001,R0002,operation,900-249-08",
         "“L000001 900-249-08”重复"),
        ("manifests.csv", ",C0001,", ",C9999,", "“C9999”不在 parties.csv 中"),
        ("rules.toml", "as_of = ", "as_of = '", "rules.toml：不是有效的 TOML"),
        ("rules.toml", "as_of = ", "[rules.storage_age]\nlimit = 3\nas_of = ",
         "rules.storage_age.limit"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_with_a_chinese_message(
    tmp_path: Path, file: str, old: str, new: str, message: str
) -> None:
    with pytest.raises(InputError) as caught:
        read_bundle(_broken(tmp_path, file, old, new))
    assert message in str(caught.value)


def test_a_missing_column_or_bundle_or_rules_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "ledger.csv").write_text("entry_id,party_id\nE1,G1\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"ledger\.csv：表头缺少列 date"):
        read_bundle(tmp_path)
    with pytest.raises(InputError, match="数据包不存在"):
        read_bundle(tmp_path / "nothing")
    (tmp_path / "not.zip").write_bytes(b"PK but not a zip")
    with pytest.raises(InputError, match="不是文件夹，也不是可读的 zip 数据包"):
        read_bundle(tmp_path / "not.zip")
    with pytest.raises(InputError, match="规则文件不存在"):
        read_bundle(BUNDLES / "clean", tmp_path / "rules.toml")
