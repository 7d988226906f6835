"""Near-duplicate versions of one document: the same law in two reforms, a republished order.

A consolidated law ("texto vigente") is republished after every reform with most of its text
unchanged; counted twice, it doubles its weight in every comparison. ``find_versions`` groups
documents whose texts overlap almost entirely and marks one document per group as the one the
comparisons keep (docs/versions_and_ocr.md).

Method
------
1. **Shingles.** A document's text is case-folded and split into word tokens (``\\w+``:
   letters and digits, so article numbers and dates count); its shingles are the runs of
   ``shingle`` consecutive tokens (default 7), each hashed to 64 bits (BLAKE2b of each word,
   combined in order and mixed; stable across runs and machines). A document with fewer
   tokens than ``shingle`` has no shingles and stays alone.
2. **Candidates (MinHash/LSH, datasketch).** Each document gets a MinHash signature of
   ``num_perm`` (128) permutations seeded from ``seed``; locality-sensitive hashing with ``b``
   bands of ``r`` rows proposes candidate pairs. ``r`` is the largest number of rows whose
   chance of missing a pair at the threshold, ``(1 - t**r) ** b``, is at most 1e-6 (t = 0.8:
   32 bands of 4 rows, a miss chance of 5e-8).
3. **Verification.** Every candidate pair is kept only when the *exact* Jaccard similarity of
   the two shingle sets, ``|A & B| / |A | B|``, reaches ``threshold`` (default 0.8). The
   MinHash estimate decides nothing: the groups do not depend on its sampling error.
4. **Groups.** Kept pairs are joined transitively (v1 ~ v2 ~ v3 form one group). Only
   documents of the same country and language are compared; only documents with status ok.
   A group is named by its first member's doc_id (sorted), so names do not change with the
   seed or with the order of the rows.
5. **Representative.** One document per group is kept by the comparisons: ``latest`` (default:
   the latest ``date``; undated documents last), ``earliest``, or ``longest`` (most
   characters); ties go to the longer text, then to the first doc_id.

Why 7-word shingles and 0.8: on the shared corpus the versions of a law reach exact
Jaccard 0.88-0.97 with 7-word shingles, while distinct documents written from one template
(two presidential permits for different bridges, two orders on the northern and southern
borders) reach at most 0.73; shorter shingles narrow that gap (5 words: 0.88 against 0.77;
3 words: 0.89 against 0.86), because two documents from one template differ in names and
figures scattered through the text, which break every shingle that spans them, while two
versions of a law differ in whole articles. 0.8 sits in the middle of the gap. Speeches
sharing an opening and a closing stay below 0.01.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from framelens.core.errors import ConfigError, Errors
from framelens.core.seeding import derive_seed
from framelens.schemas import columns_of, validate

DEFAULT_THRESHOLD = 0.8
DEFAULT_SHINGLE = 7
DEFAULT_NUM_PERM = 128
KEEP_RULES = ("latest", "earliest", "longest")
#: Highest accepted chance that LSH fails to propose a pair whose similarity is the threshold.
MISS_PROBABILITY = 1e-6
#: The columns the documents table gains (``versions`` schema without doc_id).
VERSION_COLUMNS = ("version_group", "similarity_to_group", "group_size", "is_representative")

_WORD = re.compile(r"\w+")
_CHUNK = 8192
_STEP = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xFF51AFD7ED558CCD)
_MIX2 = np.uint64(0xC4CEB9FE1A85EC53)
_SHIFT = np.uint64(33)


def _word_hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")


def _mix(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser: spreads the bits of the combined word hashes."""
    h = h ^ (h >> _SHIFT)
    h = h * _MIX1
    h = h ^ (h >> _SHIFT)
    h = h * _MIX2
    return h ^ (h >> _SHIFT)


def shingle_hashes(text: str, shingle: int = DEFAULT_SHINGLE) -> np.ndarray:
    """The sorted, distinct 64-bit hashes of the ``shingle``-word shingles of ``text``.

    Parameters
    ----------
    text : str
        Document text; case-folded and split into ``\\w+`` tokens.
    shingle : int, default 7
        Words per shingle.

    Returns
    -------
    numpy.ndarray
        uint64, sorted and unique; empty when the text has fewer than ``shingle`` words.

    Examples
    --------
    >>> len(shingle_hashes("one two three four", shingle=2))
    3
    >>> bool((shingle_hashes("A b c", 2) == shingle_hashes("a B c", 2)).all())
    True
    """
    words = _WORD.findall(text.casefold())
    n = len(words) - shingle + 1
    if n <= 0:
        return np.empty(0, dtype=np.uint64)
    ids, vocab = pd.factorize(np.array(words, dtype=object))
    word_h = np.array([_word_hash(w) for w in vocab], dtype=np.uint64)[ids]
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(shingle):  # polynomial in the word hashes, wrapping at 2**64
            h = h * _STEP + word_h[j : j + n]
        return np.unique(_mix(h))


def exact_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard similarity of two sorted unique hash arrays (0.0 when both are empty).

    >>> exact_jaccard(np.array([1, 2, 3], np.uint64), np.array([2, 3, 4], np.uint64))
    0.5
    """
    if not len(a) and not len(b):
        return 0.0
    inter = np.intersect1d(a, b, assume_unique=True).size
    return inter / (len(a) + len(b) - inter)


def lsh_bands(
    threshold: float, num_perm: int = DEFAULT_NUM_PERM, miss: float = MISS_PROBABILITY
) -> tuple[int, int, float]:
    """LSH bands and rows for ``threshold``: the most rows per band (fewest false candidates)
    whose chance of missing a pair of similarity ``threshold`` is at most ``miss``.

    Returns ``(bands, rows, miss_probability)``.

    >>> lsh_bands(0.8, 128)[:2]
    (32, 4)
    """
    best = (num_perm, 1, (1.0 - threshold) ** num_perm)
    for rows in range(2, num_perm // 2 + 1):
        bands = num_perm // rows
        p_miss = (1.0 - threshold**rows) ** bands
        if p_miss <= miss:
            best = (bands, rows, p_miss)
    return best


def _check(threshold: float, shingle: int, keep: str, num_perm: int) -> None:
    problems = [
        ("versions.threshold", threshold, not 0.0 < threshold <= 1.0, "use a number in (0, 1]"),
        ("versions.shingle", shingle, not (isinstance(shingle, int) and shingle >= 1), "use 1+"),
        ("versions.keep", keep, keep not in KEEP_RULES, "use " + ", ".join(KEEP_RULES)),
        ("versions.num_perm", num_perm, not num_perm >= 16, "use 16 or more"),
    ]
    for key, value, bad, reason in problems:
        if bad:
            raise ConfigError(Errors.E003.format(key=key, value=value, reason=reason))


def _identity(value: Any) -> Any:
    return value


def _signature(hashes: np.ndarray, num_perm: int, seed: int) -> Any:
    """A datasketch MinHash of the (already hashed) shingles, fed in chunks to bound memory."""
    from datasketch import MinHash

    sig = MinHash(num_perm=num_perm, seed=seed, scheme="affine64", hashfunc=_identity)
    for start in range(0, len(hashes), _CHUNK):
        sig.update_batch(hashes[start : start + _CHUNK])
    return sig


def _candidates(
    shingles: dict[str, np.ndarray], bands: int, rows: int, num_perm: int, seed: int
) -> set[tuple[str, str]]:
    """Pairs (first, second by doc_id) that share an LSH bucket in at least one band."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=0.5, num_perm=num_perm, params=(bands, rows))
    signatures = {}
    for doc_id in sorted(shingles):
        signatures[doc_id] = _signature(shingles[doc_id], num_perm, seed)
        lsh.insert(doc_id, signatures[doc_id])
    pairs: set[tuple[str, str]] = set()
    for doc_id, sig in signatures.items():
        for other in lsh.query(sig):
            if other != doc_id:
                pairs.add((min(doc_id, other), max(doc_id, other)))
    return pairs


def _blocks(docs: pd.DataFrame) -> Iterable[list[str]]:
    """doc_ids of the ok documents of each (country, language), in sorted order."""
    ok = docs["status"].fillna("ok").eq("ok") if "status" in docs else pd.Series(True, docs.index)
    usable = docs[ok & docs["text"].fillna("").str.len().gt(0)]
    keys = [
        usable[c].fillna("").astype(str) if c in usable else "" for c in ("country", "language")
    ]
    frame = pd.DataFrame({"doc_id": usable["doc_id"], "country": keys[0], "language": keys[1]})
    for _, block in sorted(frame.groupby(["country", "language"], sort=True)):
        yield sorted(block["doc_id"])


def _similar_pairs(
    docs: pd.DataFrame, shingle: int, threshold: float, lsh: tuple[int, int, int, int]
) -> tuple[list[tuple[str, str, float]], int, int]:
    """Verified pairs ``(a, b, exact_jaccard)`` over all blocks, the number of candidate pairs,
    and the number of documents compared."""
    bands, rows, num_perm, seed = lsh
    texts = dict(zip(docs["doc_id"], docs["text"].fillna(""), strict=True))
    kept: list[tuple[str, str, float]] = []
    n_candidates = n_compared = 0
    for block in _blocks(docs):
        shingles = {d: shingle_hashes(texts[d], shingle) for d in block}
        shingles = {d: h for d, h in shingles.items() if len(h)}
        n_compared += len(shingles)
        if len(shingles) < 2:
            continue
        pairs = _candidates(shingles, bands, rows, num_perm, seed)
        n_candidates += len(pairs)
        for a, b in sorted(pairs):
            sim = exact_jaccard(shingles[a], shingles[b])
            if sim >= threshold - 1e-12:
                kept.append((a, b, sim))
    return kept, n_candidates, n_compared


def _components(doc_ids: list[str], pairs: list[tuple[str, str, float]]) -> dict[str, str]:
    """doc_id -> group name (the smallest doc_id of its connected component)."""
    parent = {d: d for d in doc_ids}

    def root(d: str) -> str:
        while parent[d] != d:
            parent[d] = parent[parent[d]]
            d = parent[d]
        return d

    for a, b, _ in pairs:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {d: root(d) for d in doc_ids}


def _ranked(members: list[dict[str, Any]], keep: str) -> list[dict[str, Any]]:
    """``members`` best first under ``keep`` (stable sorts, last tie-break applied first)."""
    order = sorted(members, key=lambda m: m["doc_id"])
    if keep != "longest":
        order = sorted(order, key=lambda m: m["n_chars"], reverse=True)
    if keep == "earliest":
        return sorted(order, key=lambda m: (not m["date"], m["date"]))
    order = sorted(order, key=lambda m: (bool(m["date"]), m["date"]), reverse=True)
    if keep == "longest":
        order = sorted(order, key=lambda m: m["n_chars"], reverse=True)
    return order


def _representatives(docs: pd.DataFrame, groups: dict[str, str], keep: str) -> set[str]:
    """The doc_id kept in each group."""
    dates = docs["date"] if "date" in docs else pd.Series(None, docs.index)
    n_chars = docs["n_chars"] if "n_chars" in docs else docs["text"].fillna("").str.len()
    info = {
        d: {"doc_id": d, "date": dt if isinstance(dt, str) else "", "n_chars": int(n)}
        for d, dt, n in zip(docs["doc_id"], dates, n_chars, strict=True)
    }
    members: dict[str, list[dict[str, Any]]] = {}
    for doc_id, group in groups.items():
        members.setdefault(group, []).append(info[doc_id])
    return {_ranked(ms, keep)[0]["doc_id"] for ms in members.values()}


def _versions_frame(
    docs: pd.DataFrame, pairs: list[tuple[str, str, float]], keep: str
) -> pd.DataFrame:
    """The validated ``versions`` table of ``docs`` (sorted by doc_id) from the kept pairs."""
    doc_ids = list(docs["doc_id"])
    groups = _components(doc_ids, pairs)
    best: dict[str, float] = {}
    for a, b, sim in pairs:
        best[a], best[b] = max(best.get(a, 0.0), sim), max(best.get(b, 0.0), sim)
    sizes = pd.Series(groups).value_counts()
    kept = _representatives(docs, groups, keep)
    out = pd.DataFrame(
        {
            "doc_id": doc_ids,
            "version_group": [groups[d] for d in doc_ids],
            "group_size": [int(sizes[groups[d]]) for d in doc_ids],
            "similarity_to_group": [best.get(d, np.nan) for d in doc_ids],
            "is_representative": [d in kept for d in doc_ids],
        }
    )
    return validate(out[columns_of("versions")], "versions")


def find_versions(
    documents: pd.DataFrame,
    threshold: float = DEFAULT_THRESHOLD,
    shingle: int = DEFAULT_SHINGLE,
    seed: int = 0,
    *,
    keep: str = "latest",
    num_perm: int = DEFAULT_NUM_PERM,
) -> pd.DataFrame:
    """Group near-duplicate versions of a document and choose one document per group.

    Parameters
    ----------
    documents : pandas.DataFrame
        The documents table (doc_id, text; country, language, date, status, n_chars are used
        when present). Only documents with status ok and some text are compared, and only
        with documents of the same country and language.
    threshold : float, default 0.8
        Exact Jaccard similarity of the shingle sets at or above which two documents are
        versions of one another.
    shingle : int, default 7
        Words per shingle.
    seed : int, default 0
        Seed of the MinHash permutations (the run's seed). It changes which pairs are
        proposed, never which are kept (a pair at the threshold is missed with chance < 1e-6).
    keep : {"latest", "earliest", "longest"}, default "latest"
        Which document of a group is its representative.
    num_perm : int, default 128
        MinHash permutations.

    Returns
    -------
    pandas.DataFrame
        The ``versions`` table, one row per document sorted by doc_id: doc_id, version_group
        (the group's first doc_id; a document alone is its own group), group_size,
        similarity_to_group (the highest exact Jaccard to another member; empty for a
        document alone), is_representative (True for one document per group and for every
        document alone). ``attrs["versions"]`` holds the parameters and counts,
        ``attrs["pairs"]`` the kept pairs (doc_a, doc_b, jaccard).

    Raises
    ------
    ConfigError
        When a parameter is out of range.

    Examples
    --------
    >>> law = " ".join(f"articulo {i} dice algo distinto del resto" for i in range(50))
    >>> docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "text": [law, law + " fin", "otro"]})
    >>> find_versions(docs)[["doc_id", "version_group", "group_size"]].values.tolist()
    [['a', 'a', 2], ['b', 'a', 2], ['c', 'c', 1]]
    """
    _check(threshold, shingle, keep, num_perm)
    docs = documents.sort_values("doc_id", kind="stable").reset_index(drop=True)
    bands, rows, p_miss = lsh_bands(threshold, num_perm)
    lsh_seed = derive_seed(seed, "versions")
    pairs, n_candidates, n_compared = _similar_pairs(
        docs, shingle, threshold, (bands, rows, num_perm, lsh_seed)
    )
    out = _versions_frame(docs, pairs, keep)
    sizes = out.drop_duplicates("version_group")["group_size"]
    out.attrs["versions"] = {
        "threshold": threshold,
        "shingle": shingle,
        "keep": keep,
        "seed": seed,
        "num_perm": num_perm,
        "lsh_bands": bands,
        "lsh_rows": rows,
        "miss_probability_at_threshold": p_miss,
        "n_documents": len(out),
        "n_compared": n_compared,
        "n_candidate_pairs": n_candidates,
        "n_pairs": len(pairs),
        "n_groups": int((sizes > 1).sum()),
        "n_grouped_documents": int(sizes[sizes > 1].sum()),
        "n_set_aside": int((~out["is_representative"]).sum()),
    }
    out.attrs["pairs"] = [{"doc_a": a, "doc_b": b, "jaccard": round(s, 6)} for a, b, s in pairs]
    return out


def version_groups_table(
    documents: pd.DataFrame, versions: pd.DataFrame, shingle: int | None = None
) -> pd.DataFrame:
    """The groups of two or more versions, one row per member, for people to check.

    Parameters
    ----------
    documents : pandas.DataFrame
        The documents table (doc_id, text, country, language, date, issuer, doc_type, title,
        n_chars; missing descriptive columns are left empty).
    versions : pandas.DataFrame
        The table ``find_versions`` returned for these documents.
    shingle : int, optional
        Words per shingle for ``jaccard_to_representative``; default: the one recorded in
        ``versions.attrs["versions"]``, else 7.

    Returns
    -------
    pandas.DataFrame
        The ``version_groups`` table sorted by version_group, date, doc_id: the group, its
        size, the member's doc_id, country, language, date, issuer, doc_type, title, n_chars,
        similarity_to_group, jaccard_to_representative (1.0 for the representative),
        is_representative and the representative's doc_id.

    Examples
    --------
    >>> law = " ".join(f"articulo {i} dice algo distinto del resto" for i in range(50))
    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "text": [law, law + " fin"],
    ...                      "date": ["2020-01-01", "2024-01-01"]})
    >>> version_groups_table(docs, find_versions(docs))[["doc_id", "representative"]].values.tolist()
    [['a', 'b'], ['b', 'b']]
    """
    shingle = shingle or versions.attrs.get("versions", {}).get("shingle", DEFAULT_SHINGLE)
    grouped = versions[versions["group_size"] > 1]
    merged = grouped.merge(
        documents.drop(columns=list(VERSION_COLUMNS), errors="ignore"), on="doc_id", how="left"
    )
    reps = merged.loc[merged["is_representative"], ["version_group", "doc_id"]]
    merged["representative"] = merged["version_group"].map(
        dict(zip(reps["version_group"], reps["doc_id"], strict=True))
    )
    texts = dict(zip(merged["doc_id"], merged["text"].fillna(""), strict=True))
    hashes = {d: shingle_hashes(t, shingle) for d, t in texts.items()}
    merged["jaccard_to_representative"] = [
        1.0 if d == r else exact_jaccard(hashes[d], hashes[r])
        for d, r in zip(merged["doc_id"], merged["representative"], strict=True)
    ]
    if "n_chars" not in merged:
        merged["n_chars"] = merged["text"].fillna("").str.len()
    columns = columns_of("version_groups")
    for col in columns:
        if col not in merged:
            merged[col] = None
    merged["date"] = merged["date"].where(merged["date"].notna(), None)
    table = merged.sort_values(["version_group", "date", "doc_id"], na_position="last")
    return validate(table[columns].reset_index(drop=True), "version_groups")


def attach_versions(documents: pd.DataFrame, versions: pd.DataFrame) -> pd.DataFrame:
    """``documents`` with the version columns of ``versions`` (``VERSION_COLUMNS``), in the
    documents schema's column order when it lists them (else appended); attrs are kept, with
    ``attrs["versions"]`` (parameters and counts) and ``attrs["version_pairs"]`` added.

    >>> docs = pd.DataFrame({"doc_id": ["b", "a"], "text": ["x", "y"]})
    >>> list(attach_versions(docs, find_versions(docs)).columns)[:3]
    ['doc_id', 'text', 'version_group']
    """
    cols = ["doc_id", *VERSION_COLUMNS]
    base = documents.drop(columns=list(VERSION_COLUMNS), errors="ignore")
    out = base.merge(versions[cols], on="doc_id", how="left", validate="one_to_one")
    order = [c for c in columns_of("documents") if c in out.columns]
    out = out[order + [c for c in out.columns if c not in order]]
    out.index = documents.index
    out.attrs = {
        **documents.attrs,
        "versions": dict(versions.attrs.get("versions", {})),
        "version_pairs": list(versions.attrs.get("pairs", [])),
    }
    return out


def representatives(documents: pd.DataFrame, versions: pd.DataFrame | None = None) -> pd.DataFrame:
    """The documents a comparison keeps: one per version group.

    Rows of ``documents`` whose ``is_representative`` is True, read from ``versions`` when
    given (documents absent from it are kept), else from the documents' own column (after
    ``attach_versions``).

    >>> docs = pd.DataFrame({"doc_id": ["a", "b"], "text": ["x", "y"]})
    >>> vers = pd.DataFrame({"doc_id": ["a", "b"], "is_representative": [False, True]})
    >>> representatives(docs, vers)["doc_id"].tolist()
    ['b']
    """
    source = documents if versions is None else versions
    flags = source["is_representative"].fillna(True).astype(bool)
    set_aside = set(source.loc[~flags, "doc_id"])
    return documents[~documents["doc_id"].isin(set_aside)]
