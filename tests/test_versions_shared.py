"""Near-duplicate versions on the real documents of ../shared/corpus (skipped when absent).

The corpus README says several Mexican laws appear in two consolidated versions (different
reforms) with heavily overlapping text. They must form groups; distinct laws, documents written
from one template, and speeches that share an opening and a closing must not.
"""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from framelens.core.config import ExtractConfig
from framelens.corpus import extract
from framelens.corpus.versions import (
    DEFAULT_SHINGLE,
    DEFAULT_THRESHOLD,
    exact_jaccard,
    find_versions,
    representatives,
    shingle_hashes,
    version_groups_table,
)
from framelens.schemas import validate

pytestmark = pytest.mark.corpus

#: The laws of mx/manifest.csv that appear in two reforms ("Texto vigente (Última Reforma DOF
#: ...)"), found by title: earlier version -> later version (the representative).
LAW_VERSIONS = {
    "mx-diputados-20210520-ley-de-seguridad-nacional": (
        "mx-diputados-20251114-ley-de-seguridad-nacional"
    ),
    "mx-diputados-20240401-ley-federal-para-prevenir-y-eliminar-la": (
        "mx-diputados-20251114-ley-federal-para-prevenir-y-eliminar-la"
    ),
    "mx-diputados-20240527-ley-de-migracion": "mx-diputados-20260115-ley-de-migracion",
}
#: The Guardia Nacional law of 2025 is a new law ("Nueva Ley DOF 16-07-2025") that replaced the
#: one of 2019 (shown in its 2022 reform): a different legal text, not a version of it.
NEW_LAW = (
    "mx-diputados-20220909-ley-de-la-guardia-nacional",
    "mx-diputados-20250716-ley-de-la-guardia-nacional",
)
#: Distinct documents written from one template (different bridges, different borders).
TEMPLATE_PAIRS = [
    (
        "us-wh-20240531-presidential-permit-authorizing-maverick-county",
        "us-wh-20241003-presidential-permit-authorizing-southwebb-bridge",
    ),
    (
        "us-fr-20250210-executive-order-14197-progress-on-the-situation",
        "us-fr-20250210-executive-order-14198-progress-on-the-situation",
    ),
]


@pytest.fixture(scope="module")
def shared_documents(shared_corpus, tmp_path_factory) -> pd.DataFrame:
    cfg = ExtractConfig(workers=2, pdf_engine="pypdfium2")
    cache = tmp_path_factory.mktemp("versions-extract-cache")
    return extract(shared_corpus, config=cfg, cache_dir=cache, progress=False)


@pytest.fixture(scope="module")
def versions(shared_documents) -> pd.DataFrame:
    return find_versions(shared_documents, seed=1)


def _group_of(versions: pd.DataFrame) -> dict[str, str]:
    return dict(zip(versions["doc_id"], versions["version_group"], strict=True))


def test_law_versions_group_and_latest_is_kept(versions):
    group = _group_of(versions)
    rows = versions.set_index("doc_id")
    for earlier, later in LAW_VERSIONS.items():
        assert group[earlier] == group[later] == earlier, (earlier, later)
        assert rows.loc[earlier, "group_size"] == rows.loc[later, "group_size"] == 2
        assert rows.loc[later, "is_representative"]
        assert not rows.loc[earlier, "is_representative"]
        assert rows.loc[earlier, "similarity_to_group"] >= DEFAULT_THRESHOLD


def test_only_the_law_versions_group(versions):
    grouped = versions[versions["group_size"] > 1]
    expected = set(LAW_VERSIONS) | set(LAW_VERSIONS.values())
    assert set(grouped["doc_id"]) == expected, grouped
    singletons = versions[versions["group_size"] == 1]
    assert singletons["similarity_to_group"].isna().all()
    assert singletons["is_representative"].all()
    assert (singletons["version_group"] == singletons["doc_id"]).all()
    assert versions.attrs["versions"]["n_groups"] == 3
    assert versions.attrs["versions"]["n_set_aside"] == 3


def test_distinct_laws_and_templates_do_not_group(shared_documents, versions):
    group = _group_of(versions)
    laws = shared_documents[shared_documents["doc_type"].eq("ley")]
    names = laws["title"].str.split(" — ").str[0]
    by_name = dict(zip(laws["doc_id"], names, strict=True))
    for a, b in itertools.combinations(sorted(by_name), 2):
        if by_name[a] != by_name[b]:
            assert group[a] != group[b], (a, b)
    texts = dict(zip(shared_documents["doc_id"], shared_documents["text"], strict=True))
    for a, b in [NEW_LAW, *TEMPLATE_PAIRS]:
        assert group[a] != group[b], (a, b)
        sim = exact_jaccard(shingle_hashes(texts[a]), shingle_hashes(texts[b]))
        assert 0.2 < sim < DEFAULT_THRESHOLD, (a, b, sim)  # related, but not versions


def test_speeches_sharing_boilerplate_do_not_group(shared_documents, versions):
    speeches = shared_documents[shared_documents["issuer"].eq("Presidencia")]
    assert len(speeches) > 40
    assert (versions.set_index("doc_id").loc[speeches["doc_id"], "group_size"] == 1).all()
    # the morning conferences do share their opening/closing formulas: some shingles in common
    hashes = {
        d: shingle_hashes(t, DEFAULT_SHINGLE)
        for d, t in zip(speeches["doc_id"], speeches["text"], strict=True)
        if "conferencia-de-prensa" in d
    }
    sims = [exact_jaccard(hashes[a], hashes[b]) for a, b in itertools.combinations(hashes, 2)]
    assert sum(s > 0 for s in sims) > len(sims) // 2
    # the highest pair is a summit transcript repeated inside the next day's conference (0.46)
    assert max(sims) < DEFAULT_THRESHOLD


def test_groups_do_not_depend_on_seed_or_row_order(shared_documents, versions):
    for seed in (0, 7):
        other = find_versions(shared_documents, seed=seed)
        pd.testing.assert_frame_equal(other, versions)
    shuffled = shared_documents.sample(frac=1.0, random_state=3)
    pd.testing.assert_frame_equal(find_versions(shuffled, seed=1), versions)


def test_version_groups_table_and_representatives(shared_documents, versions):
    table = validate(version_groups_table(shared_documents, versions), "version_groups")
    assert len(table) == 6 and table["version_group"].nunique() == 3
    assert set(table["representative"]) == set(LAW_VERSIONS.values())
    reps = table[table["is_representative"]]
    assert (reps["jaccard_to_representative"] == 1.0).all()
    assert (reps["doc_id"] == reps["representative"]).all()
    others = table[~table["is_representative"]]
    assert (others["jaccard_to_representative"] >= DEFAULT_THRESHOLD).all()
    assert table["title"].str.contains("Texto vigente").all()
    kept = representatives(shared_documents, versions)
    assert len(kept) == len(shared_documents) - 3
    assert not set(LAW_VERSIONS) & set(kept["doc_id"])
