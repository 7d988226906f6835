"""Stage 2: documents -> sentences, with spaCy per language (sentences, word tokens, lemmas).

Rules (methods in ``docs/lexicon.md``, section *Preprocessing*):

1. Only documents with ``status == "ok"`` and ``language`` in ``en``/``es`` are processed.
2. The text is prepared before spaCy sees it (``prepare_text``): control characters become
   spaces; a word hyphenated across a line break ("appro-\\npriate") is joined; runs of spaces
   collapse to one; a line break inside a paragraph becomes a space, and a *hard* break (a blank
   line, a form feed, a line that opens with a list or section marker such as "(a)", "Sec. 3.",
   "Artículo 4", or a heading line: all capitals, or short and without final punctuation) becomes
   a single ``"\\n"``, which the sentencizer treats as a sentence end. Offsets are mapped back to
   the original text, so ``documents.text[start_char:end_char]`` is the sentence's source span.
3. spaCy: a trained pipeline (``PreprocessConfig.models[lang]``) when ``use_trained`` and the
   package is installed (its parser/NER are not run; sentence boundaries always come from the
   rule-based sentencizer, so they are the same whichever pipeline lemmatises); otherwise
   ``spacy.blank(lang)`` + sentencizer + lookup lemmatizer with the ``spacy-lookups-data`` table.
   The lookup lemmatizer is case-sensitive; a token not found as written is looked up in lower
   case (sentence-initial "Deportaciones" -> "deportación"), except all-capital tokens of up to
   three letters (acronyms: "US" must not become "we"). A short table of corrections
   (``lexicons/lemma_overrides.csv``) fixes lookup errors on domain nouns ("estaciones" ->
   "estación", not "estacionar").
4. Word tokens are tokens with at least one letter or digit that are not URLs or e-mail
   addresses; punctuation, symbols and whitespace are dropped from ``tokens`` and ``lemmas``.
   Numbers are kept. Stop words are kept unless ``drop_stopwords_in_lemmas`` (then they leave
   ``tokens``/``lemmas`` but still count in ``n_tokens``; frame scoring needs them kept).
5. A sentence longer than ``max_sentence_chars`` (a table or list without punctuation) is cut
   at token boundaries into pieces of at most that length. Sentences without word tokens are
   dropped. Texts longer than ``CHUNK_CHARS`` are cut at hard breaks (else at a sentence end,
   else at a space) into chunks, so ``nlp.max_length`` is never reached.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Callable, Iterator

import numpy as np
import pandas as pd

from framelens.core.config import PreprocessConfig
from framelens.core.domain import LANGUAGES
from framelens.core.errors import ConfigError, Errors
from framelens.core.packagedata import data_path
from framelens.core.progress import ProgressBar
from framelens.schemas import columns_of, validate

#: Longest text handed to spaCy in one call (characters); longer texts are chunked.
CHUNK_CHARS = 100_000

# --------------------------------------------------------------------------- text preparation
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0d\x0e-\x1f\x7f\u00a0\u2028\u2029\t]")
_PREP = re.compile(
    r"(?P<hy>(?<=[^\W\d_])[-\u00ad]\n[ ]*(?=[a-záéíóúüñ]))"  # hyphenated line break
    r"|(?P<nl>[ ]*[\n\x0c][ \n\x0c]*)"  # line break(s) with the spaces around them
    r"|(?P<sp>[ ]{2,})"  # runs of spaces
)
_LIST_MARKER = re.compile(
    r"^(?:\(?[0-9]{1,3}[.)]\s|\(?[a-zA-Z][.)]\s|\([a-zA-Z0-9]{1,4}\)|[ivxlcIVXLC]{1,6}[.)]\s"
    r"|[•·▪●◦‣\-–—*]\s|(?:Sec|SEC)\.\s|Section\s|SECTION\s|Art[íi]culo\s|ART[ÍI]CULO\s"
    r"|Cap[íi]tulo\s|CAP[ÍI]TULO\s|T[íi]tulo\s|T[ÍI]TULO\s|Transitorios?\b|TRANSITORIOS?\b)"
)
_TERMINAL = ".!?…:;,"
_HEADING_MAX = 45


def _is_caps_line(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _hard_break(prev: str, nxt: str) -> bool:
    """Whether a single line break between ``prev`` and ``nxt`` ends a sentence (rule 2)."""
    p, n = prev.strip(), nxt.strip()
    if not p or not n:
        return True
    if _LIST_MARKER.match(n):
        return True
    if p[-1] in _TERMINAL:
        return False  # the sentencizer decides at . ! ?; , ; : continue the sentence
    if _is_caps_line(p) or _is_caps_line(n):
        return True
    return len(p) <= _HEADING_MAX and (n[0].isupper() or n[0] in "¿¡\"“'(")


def prepare_text(text: str) -> tuple[str, np.ndarray, np.ndarray]:
    """Prepare a document text for sentence splitting (rule 2 of the module docstring).

    Parameters
    ----------
    text : str
        The document text as extracted.

    Returns
    -------
    prepared : str
        The text with soft line breaks joined, hard breaks as ``"\\n"`` and spaces collapsed.
    prep_pos, orig_pos : ndarray of int64
        Offset map: the prepared text from ``prep_pos[k]`` on was copied from the original text
        at ``orig_pos[k]`` (use ``map_offsets``).
    """
    text = _CONTROL.sub(" ", text)
    pieces: list[str] = []
    prep_pos: list[int] = [0]
    orig_pos: list[int] = [0]
    n_prep = 0
    last = 0
    line_start = 0
    for m in _PREP.finditer(text):
        s, e = m.start(), m.end()
        if s > last:
            pieces.append(text[last:s])
            n_prep += s - last
        kind = m.lastgroup
        if kind == "hy":
            rep = ""
        elif kind == "sp":
            rep = " "
        else:
            run = m.group()
            if run.count("\n") + run.count("\x0c") > 1 or "\x0c" in run:
                rep = "\n"
            else:
                nl_end = text.find("\n", e)
                nxt = text[e : nl_end if nl_end >= 0 else len(text)]
                rep = "\n" if _hard_break(text[line_start:s], nxt) else " "
            line_start = e
        pieces.append(rep)
        prep_pos.append(n_prep)
        orig_pos.append(s)
        n_prep += len(rep)
        prep_pos.append(n_prep)
        orig_pos.append(e)
        last = e
    pieces.append(text[last:])
    return "".join(pieces), np.asarray(prep_pos, np.int64), np.asarray(orig_pos, np.int64)


def map_offsets(pos: np.ndarray, prep_pos: np.ndarray, orig_pos: np.ndarray) -> np.ndarray:
    """Map offsets in the prepared text to offsets in the original text."""
    k = np.searchsorted(prep_pos, pos, side="right") - 1
    return orig_pos[k] + (pos - prep_pos[k])


def _chunks(prepared: str, size: int = CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    """Cut a long prepared text into chunks at hard breaks, sentence ends or spaces."""
    start, n = 0, len(prepared)
    while n - start > size:
        window_end = start + size
        cut = prepared.rfind("\n", start + size // 2, window_end)
        if cut < 0:
            cut = prepared.rfind(". ", start + size // 2, window_end)
        if cut < 0:
            cut = prepared.rfind(" ", start + 1, window_end)
        cut = window_end if cut < 0 else cut + 1
        yield start, prepared[start:cut]
        start = cut
    yield start, prepared[start:]


# --------------------------------------------------------------------------- pipelines
_PUNCT_CHARS = [".", "!", "?", "…", "\n"]
_OPENERS = frozenset(["(", "[", "{", "¿", "¡", "“", "‘", "«"])


@functools.cache
def lemma_overrides(lang: str) -> dict[str, str]:
    """Corrections of the lookup lemmatizer on domain nouns (``lexicons/lemma_overrides.csv``)."""
    path = data_path("lemma_overrides.csv")
    out: dict[str, str] = {}
    if path.exists():
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                if row["language"] == lang:
                    out[row["form"].strip().lower()] = row["lemma"].strip().lower()
    return out


def load_nlp(lang: str, config: PreprocessConfig | None = None):
    """Return the spaCy pipeline for ``lang`` (cached per process and configuration).

    Parameters
    ----------
    lang : {"en", "es"}
        Language code.
    config : PreprocessConfig, optional
        ``models[lang]`` is loaded when ``use_trained`` and it is installed; otherwise
        ``spacy.blank(lang)`` + sentencizer + lookup lemmatizer (spacy-lookups-data).

    Returns
    -------
    spacy.language.Language
        The pipeline; ``nlp.meta["framelens_pipeline"]`` says which kind was built.
    """
    config = config or PreprocessConfig()
    model = (config.models or {}).get(lang) if config.use_trained else None
    return _load_nlp(lang, model)


@functools.cache
def _load_nlp(lang: str, model: str | None):
    import spacy

    if lang not in LANGUAGES:
        raise ConfigError(Errors.E003.format(key="language", value=lang, reason="use 'en' or 'es'"))
    sent_cfg = {"punct_chars": _PUNCT_CHARS, "overwrite": True}
    if model and spacy.util.is_package(model):
        nlp = spacy.load(model, exclude=["ner", "parser", "senter"])
        nlp.add_pipe("sentencizer", first=True, config=sent_cfg)
        nlp.meta["framelens_pipeline"] = f"trained:{model}"
    else:
        nlp = spacy.blank(lang)
        nlp.add_pipe("sentencizer", config=sent_cfg)
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        try:
            nlp.initialize()
        except (ValueError, OSError) as exc:  # no spacy-lookups-data
            raise ConfigError(Errors.E019.format(lang=lang, reason=exc)) from exc
        table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup", {})
        if len(table) < 1000:
            raise ConfigError(Errors.E019.format(lang=lang, reason="lemma_lookup table is empty"))
        nlp.meta["framelens_pipeline"] = "blank+sentencizer+lookup_lemmatizer"
    nlp.max_length = max(nlp.max_length, 2 * CHUNK_CHARS)
    return nlp


def _lookup_table(nlp) -> dict:
    if "lemmatizer" in nlp.pipe_names:
        lem = nlp.get_pipe("lemmatizer")
        if getattr(lem, "mode", "") == "lookup":
            return lem.lookups.get_table("lemma_lookup", {})
    return {}


class _TokenInfo:
    """Per-process cache: (orth, lemma) hash pair -> (surface, final lemma or "", is_space)."""

    def __init__(self, nlp, drop_stop: bool):
        self.nlp = nlp
        self.strings = nlp.vocab.strings
        self.table = _lookup_table(nlp)
        # corrections apply to the lookup lemmatizer only (a trained pipeline is trusted)
        self.overrides = lemma_overrides(nlp.lang) if self.table else {}
        self.drop_stop = drop_stop
        self.cache: dict[tuple[int, int], tuple[str, str, bool, bool, bool, int]] = {}

    def get(self, orth: int, lemma: int) -> tuple[str, str, bool, bool, bool, int]:
        """Return (surface, lemma, is_word, keep, is_space, length)."""
        key = (orth, lemma)
        info = self.cache.get(key)
        if info is None:
            info = self.cache[key] = self._compute(orth, lemma)
        return info

    def _compute(self, orth: int, lemma_h: int) -> tuple[str, str, bool, bool, bool, int]:
        text = self.strings[orth]
        lex = self.nlp.vocab[orth]
        is_word = any(c.isalnum() for c in text) and not (lex.like_url or lex.like_email)
        if not is_word:
            return text, "", False, False, text.isspace(), len(text)
        low = text.lower()
        lemma = self.strings[lemma_h] if lemma_h else text
        if low in self.overrides:
            lemma = self.overrides[low]
        elif lemma == text and self.table and low != text:
            if not (text.isupper() and len(text) <= 3):
                lemma = self.table.get(low, low)
        lemma = "_".join(lemma.lower().split()) or low
        keep = not (self.drop_stop and lex.is_stop)
        return text, lemma, True, keep, False, len(text)


def _doc_sentences(doc, info: _TokenInfo, max_chars: int, text: str | None = None) -> list[tuple]:
    """Sentences of one spaCy Doc: (start, end, text, tokens, lemmas, n_tokens), doc offsets."""
    from spacy.attrs import IDX, LEMMA, ORTH, SENT_START

    n = len(doc)
    if n == 0:
        return []
    arr = doc.to_array([ORTH, LEMMA, IDX, SENT_START])
    orths, lemmas, idxs, starts = (arr[:, j].tolist() for j in range(4))
    cache, get = info.cache, info.get
    # per token: (surface, lemma, is_word, keep, is_space, length), cached per (orth, lemma)
    infos = [cache.get(k) or get(*k) for k in zip(orths, lemmas, strict=False)]
    bounds = [i for i, s in enumerate(starts) if s == 1]
    if not bounds or bounds[0] != 0:
        bounds.insert(0, 0)
    # opening punctuation ("(a)", "¿Qué", a quotation mark) starts the next sentence
    for j in range(1, len(bounds)):
        b = bounds[j]
        while b - 1 > bounds[j - 1] and infos[b - 1][0] in _OPENERS:
            b -= 1
        bounds[j] = b
    bounds.append(n)
    if text is None:  # Doc.text builds every Token object: pass the text when it is known
        text = doc.text
    out: list[tuple] = []
    for a, b in zip(bounds[:-1], bounds[1:], strict=False):
        toks = [
            (st, st + inf[5], inf)
            for st, inf in zip(idxs[a:b], infos[a:b], strict=False)
            if not inf[4]
        ]
        if not any(t[2][2] for t in toks):
            continue
        if toks[-1][1] - toks[0][0] <= max_chars:
            pieces = [toks]
        else:
            pieces, cur = [], []
            for t in toks:
                if cur and t[1] - cur[0][0] > max_chars:
                    pieces.append(cur)
                    cur = []
                cur.append(t)
            pieces.append(cur)
        for piece in pieces:
            words = [t[2] for t in piece if t[2][2]]
            if not words:
                continue
            kept = [w for w in words if w[3]] if info.drop_stop else words
            s, e = piece[0][0], piece[-1][1]
            out.append(
                (
                    s,
                    e,
                    text[s:e],
                    " ".join([w[0] for w in kept]),
                    " ".join([w[1] for w in kept]),
                    len(words),
                )
            )
    return out


_INT_COLUMNS = ("sent_id", "start_char", "end_char", "n_tokens")


def _empty_sentences() -> pd.DataFrame:
    return pd.DataFrame(
        {
            c: pd.Series([], dtype="int64" if c in _INT_COLUMNS else "str")
            for c in columns_of("sentences")
        }
    )


def preprocess(
    documents: pd.DataFrame, config: PreprocessConfig | None = None, *, progress: bool = False
) -> pd.DataFrame:
    """Split documents into sentences with word tokens and lemmas (stage 2).

    Parameters
    ----------
    documents : DataFrame
        The ``documents`` table; uses ``doc_id``, ``language``, ``text``, ``status``. Only rows
        with ``status == "ok"`` and ``language`` in {"en", "es"} are processed. Not modified.
    config : PreprocessConfig, optional
        ``models``/``use_trained`` (pipeline choice), ``batch_size`` and ``n_process``
        (``nlp.pipe``), ``max_sentence_chars``, ``drop_stopwords_in_lemmas``.
    progress : bool, default False
        Show a progress bar of documents processed (rich, on stderr). The sentences are the
        same either way.

    Returns
    -------
    DataFrame
        ``sentences``, one row per sentence, sorted by ``doc_id``, ``sent_id``:

        - doc_id : str
        - sent_id : int, 0-based within the document
        - start_char, end_char : int, offsets into ``documents.text`` (end exclusive)
        - text : str, the sentence as prepared (line breaks joined, spaces collapsed)
        - tokens : str, word tokens as written in ``text``, space-joined (aligned with lemmas)
        - lemmas : str, lower-cased lemmas of the word tokens, space-joined
        - n_tokens : int, number of word tokens (punctuation, symbols, URLs excluded)

    Examples
    --------
    >>> import pandas as pd
    >>> docs = pd.DataFrame({"doc_id": ["d1"], "language": ["es"], "status": ["ok"],
    ...                      "text": ["Los niños detenidos. Fueron deportados."]})
    >>> preprocess(docs)[["sent_id", "lemmas"]].to_dict("records")
    [{'sent_id': 0, 'lemmas': 'el niño detenido'}, {'sent_id': 1, 'lemmas': 'ser deportar'}]
    """
    config = config or PreprocessConfig()
    if config.max_sentence_chars < 20:
        raise ConfigError(
            Errors.E003.format(
                key="preprocess.max_sentence_chars",
                value=config.max_sentence_chars,
                reason="must be >= 20 characters",
            )
        )
    docs = documents.loc[
        (documents["status"] == "ok") & documents["language"].isin(LANGUAGES),
        ["doc_id", "language", "text"],
    ]
    docs = docs.sort_values("doc_id", kind="stable")
    records: list[tuple] = []
    with ProgressBar(len(docs), progress, label="preprocess", unit="documents") as bar:
        for lang in LANGUAGES:
            sub = docs[docs["language"] == lang]
            if sub.empty:
                continue
            records.extend(_preprocess_language(sub, lang, config, bar.advance))
    if not records:
        return validate(_empty_sentences(), "sentences")
    df = pd.DataFrame.from_records(
        records,
        columns=["doc_id", "start_char", "end_char", "text", "tokens", "lemmas", "n_tokens"],
    )
    df = df.sort_values(["doc_id", "start_char"], kind="stable").reset_index(drop=True)
    df.insert(1, "sent_id", df.groupby("doc_id", sort=False).cumcount().astype("int64"))
    for col in ("doc_id", "text", "tokens", "lemmas"):
        df[col] = df[col].astype("str")
    for col in ("start_char", "end_char", "n_tokens"):
        df[col] = df[col].astype("int64")
    return validate(df[columns_of("sentences")], "sentences")


def _preprocess_language(
    docs: pd.DataFrame, lang: str, config: PreprocessConfig, advance: Callable[[int], None]
) -> list[tuple]:
    """Sentence records (doc_id, start, end, text, tokens, lemmas, n_tokens) of ``docs``, all
    in ``lang``; ``advance(n)`` is called as documents are finished."""
    nlp = load_nlp(lang, config)
    info = _TokenInfo(nlp, config.drop_stopwords_in_lemmas)
    doc_ids = docs["doc_id"].tolist()
    maps: list[tuple[np.ndarray, np.ndarray]] = []
    jobs: list[tuple[str, tuple[int, int, int]]] = []
    chunks_left: list[int] = []  # per document: chunks not yet through the pipeline
    for k, text in enumerate(docs["text"].tolist()):
        prepared, prep_pos, orig_pos = prepare_text(text if isinstance(text, str) else "")
        maps.append((prep_pos, orig_pos))
        n_jobs = len(jobs)
        for offset, chunk in _chunks(prepared):
            if chunk.strip():
                jobs.append((chunk, (k, offset, len(jobs))))
        chunks_left.append(len(jobs) - n_jobs)
    advance(chunks_left.count(0))  # documents with nothing to parse
    out: list[tuple] = []
    pending: dict[int, list[tuple]] = {}
    stream = nlp.pipe(
        jobs, as_tuples=True, batch_size=config.batch_size, n_process=max(1, config.n_process)
    )
    for doc, (k, offset, j) in stream:
        sents = _doc_sentences(doc, info, config.max_sentence_chars, jobs[j][0])
        if sents:
            pending.setdefault(k, []).extend(
                (s + offset, e + offset, t, tk, lm, nt) for s, e, t, tk, lm, nt in sents
            )
        chunks_left[k] -= 1
        if not chunks_left[k]:
            advance(1)
    for k in sorted(pending):
        sents = pending[k]
        prep_pos, orig_pos = maps[k]
        starts = map_offsets(np.fromiter((s[0] for s in sents), np.int64), prep_pos, orig_pos)
        ends = map_offsets(np.fromiter((s[1] - 1 for s in sents), np.int64), prep_pos, orig_pos) + 1
        doc_id = doc_ids[k]
        out.extend(
            (doc_id, int(a), int(b), t, tk, lm, nt)
            for (_, _, t, tk, lm, nt), a, b in zip(
                sents, starts.tolist(), ends.tolist(), strict=False
            )
        )
    return out


def lemmatize_terms(
    terms: list[str], lang: str, config: PreprocessConfig | None = None
) -> list[str]:
    """Lemmatise short terms (lexicon entries, aliases) exactly as ``preprocess`` does.

    Returns one lower-cased, space-joined lemma string per term ("" when a term has no word
    token). Used by the lexicon loader so that terms are written in natural forms.
    """
    nlp = load_nlp(lang, config)
    info = _TokenInfo(nlp, False)
    out = []
    for doc in nlp.pipe(terms, batch_size=256):
        lemmas = []
        for tok in doc:
            _, lemma, is_word, *_ = info.get(tok.orth, tok.lemma)
            if is_word:
                lemmas.append(lemma)
        out.append(" ".join(lemmas))
    return out
