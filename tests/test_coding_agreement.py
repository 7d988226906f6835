"""Agreement between coders (`framelens gold agree`): Krippendorff's alpha against known values,
the adjudication sheet, and the checks of filled-in sheets (errors name the file and the row)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from framelens.analysis.framing.coding import (
    adjudication_sheet,
    agreement_table,
    nominal_alpha,
    pair_codes,
)
from framelens.core.errors import ConfigError
from framelens.pipeline.coding import check_sheet, read_codes, read_sheet

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("FRAMELENS_SHARED", REPO.parent / "shared"))
DESIGN_SAMPLE = SHARED / "validation" / "design_sample.csv"


def _alpha_by_hand(a, b) -> float:
    """Two coders, binary, nominal: alpha = 1 - (n - 1) * D / (n0 * n1), n = 2 * units,
    D = disagreeing units (each adds 1 to o_01 and 1 to o_10), n_c = pairable values c."""
    a, b = np.asarray(a), np.asarray(b)
    n = 2 * len(a)
    n1 = int(a.sum() + b.sum())
    return 1.0 - (n - 1) * int((a != b).sum()) / ((n - n1) * n1)


def test_coding_alpha_hand_computed_example():
    a = [1, 1, 1, 0, 0, 0, 0, 0, 0, 0]
    b = [1, 1, 0, 0, 0, 0, 0, 0, 0, 1]
    # n = 20 values, n1 = 6, n0 = 14, 2 disagreements: 1 - 19 * 2 / (14 * 6) = 46 / 84
    assert nominal_alpha([a, b]) == pytest.approx(46 / 84, abs=1e-12)
    assert _alpha_by_hand(a, b) == pytest.approx(46 / 84, abs=1e-12)
    rs = np.random.default_rng(5)
    for _ in range(20):
        x = rs.integers(0, 2, 40)
        y = np.where(rs.random(40) < 0.2, 1 - x, x)
        assert nominal_alpha([x, y]) == pytest.approx(_alpha_by_hand(x, y), abs=1e-12)


def test_coding_alpha_package_documented_example():
    nan = np.nan
    data = [
        [nan, nan, nan, nan, nan, 3, 4, 1, 2, 1, 1, 3, 3, nan, 3],
        [1, nan, 2, 1, 3, 3, 4, 3, nan, nan, nan, nan, nan, nan, nan],
        [nan, nan, 2, 1, 3, 4, 4, nan, 2, 1, 1, 3, 3, nan, 4],
    ]
    assert round(nominal_alpha(data), 6) == 0.691358
    assert np.isnan(nominal_alpha([[1, 1, 1], [1, 1, 1]]))  # no variation: undefined


@pytest.mark.skipif(
    not DESIGN_SAMPLE.exists(),
    reason=f"shared design sample not found at {DESIGN_SAMPLE}: set FRAMELENS_SHARED=/path/to/shared",
)
def test_coding_alpha_matches_design_sample_readme():
    ds = pd.read_csv(DESIGN_SAMPLE)
    sheets = {}
    for c in ("a", "b"):
        sheets[c] = ds[["unit_id", "language", "text"]].assign(
            humanitarian=ds[f"coder_{c}_humanitarian"], security=ds[f"coder_{c}_security"]
        )
    paired = pair_codes(check_sheet(sheets["a"], "a"), check_sheet(sheets["b"], "b"))
    table = agreement_table(paired).set_index(["language", "label"])
    readme = {
        ("en", "humanitarian"): 0.918,
        ("en", "security"): 0.975,
        ("es", "humanitarian"): 0.845,
        ("es", "security"): 0.973,
    }
    for key, alpha in readme.items():
        assert round(table.loc[key, "alpha"], 3) == alpha
    assert table.loc[("en", "humanitarian"), "n_units"] == 405
    assert table.loc[("es", "security"), "n_units"] == 357
    # agreement on both labels (README: en 96.8%, es 95.5%) equals the file's agreement column
    adj = adjudication_sheet(paired)
    assert len(adj) == int((ds["agreement"] == 0).sum())


def _sheet(codes_h, codes_s, ids=None) -> pd.DataFrame:
    ids = ids or [f"u{i:010x}" for i in range(len(codes_h))]
    return pd.DataFrame(
        {
            "unit_id": ids,
            "language": ["en", "es"] * (len(ids) // 2) + ["en"] * (len(ids) % 2),
            "text": [f"s{i}" for i in range(len(ids))],
            "humanitarian": [str(v) for v in codes_h],
            "security": [str(v) for v in codes_s],
            "note": "",
        }
    )


def test_coding_agreement_table_and_adjudication_sheet():
    a = check_sheet(_sheet([1, 0, 1, 0, 1, 0], [0, 0, 1, 1, 0, 0]), "A.csv")
    b = check_sheet(_sheet([1, 0, 0, 0, 1, 1], [0, 0, 1, 0, 0, 0]), "B.csv")
    paired = pair_codes(a, b, "A.csv", "B.csv")
    table = agreement_table(paired)
    assert table["language"].tolist() == ["all", "all", "en", "en", "es", "es"]
    hum = table.set_index(["language", "label"]).loc[("all", "humanitarian")]
    assert hum["n_units"] == 6 and hum["n_disagreements"] == 2
    assert hum["percent_agreement"] == pytest.approx(100 * 4 / 6)
    adj = adjudication_sheet(paired)
    assert adj["unit_id"].tolist() == [f"u{i:010x}" for i in (2, 3, 5)]
    assert adj["disagree_on"].tolist() == ["humanitarian", "security", "humanitarian"]
    row2 = adj.set_index("unit_id").loc[f"u{2:010x}"]
    assert pd.isna(row2["humanitarian"]) and row2["security"] == 1  # agreed code pre-filled
    assert (row2["coder_a_humanitarian"], row2["coder_b_humanitarian"]) == (1, 0)


def test_coding_sheet_errors_name_file_and_row():
    good = _sheet([1, 0, 1], [0, 0, 1])
    bad = good.copy()
    bad.loc[1, "humanitarian"] = "2"
    with pytest.raises(ConfigError, match=r"A\.csv, row 3 .*humanitarian='2' is not a code"):
        check_sheet(bad, "A.csv")
    empty = good.copy()
    empty.loc[2, "security"] = ""
    with pytest.raises(ConfigError, match=r"B\.csv, row 4 .*security is empty"):
        check_sheet(empty, "B.csv")
    with pytest.raises(ConfigError, match=r"lacks columns \['security'\]"):
        check_sheet(good.drop(columns="security"), "C.csv")
    dup = good.copy()
    dup.loc[2, "unit_id"] = dup.loc[0, "unit_id"]
    with pytest.raises(ConfigError, match=r"repeats unit_id .* \(rows 2, 4"):
        check_sheet(dup, "D.csv")
    loose = good.assign(humanitarian=["1.0", " 0 ", "1"])
    assert check_sheet(loose, "E.csv")["humanitarian"].tolist() == [1, 0, 1]


def test_coding_sheets_must_hold_the_same_units():
    a = check_sheet(_sheet([1, 0, 1], [0, 0, 1]), "A.csv")
    b = check_sheet(
        _sheet([1, 0, 1], [0, 0, 1], ids=["u0000000000", "u0000000001", "uffffffffff"]), "B.csv"
    )
    with pytest.raises(
        ConfigError, match=r"A\.csv and coding sheet B\.csv hold different units: 1 only"
    ):
        pair_codes(a, b, "A.csv", "B.csv")


def test_coding_read_sheet_accepts_spreadsheet_exports(tmp_path):
    sheet = _sheet([1, 0], [0, 1])
    sheet.loc[0, "text"] = "Protección de niñas, niños y adolescentes; con acentos"
    p = tmp_path / "excel.csv"
    text = sheet.to_csv(index=False, sep=";", lineterminator="\r\n") + ";;;;;\r\n"
    p.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    codes = read_codes(p)
    assert codes["unit_id"].tolist() == sheet["unit_id"].tolist()  # trailing empty row dropped
    assert codes.loc[0, "text"].startswith("Protección")
    latin = tmp_path / "latin.csv"
    latin.write_bytes(sheet.to_csv(index=False).encode("latin-1"))
    assert read_codes(latin)["security"].tolist() == [0, 1]
    with pytest.raises(ConfigError, match="could not be read: no such file"):
        read_sheet(tmp_path / "missing.csv")
    with pytest.raises(ConfigError, match="workbook, not CSV"):
        (tmp_path / "codes.xlsx").write_bytes(b"PK")
        read_sheet(tmp_path / "codes.xlsx")
