"""Stage 5: compare administrations and countries with honest statistics.

Document-level measures (the framing index, frame rates, co-occurrence shares, actor mentions)
become group estimates with bootstrap intervals, differences with permutation p-values and Holm
correction, a regression with cluster-robust standard errors and a time series with bootstrap
bands. Every choice is documented in ``docs/statistics.md``.

- ``compare(table, value, by=("country", "administration"), ...) -> ComparisonResult``
  (``groups``: ``frame_by_group``; ``differences``: ``frame_differences``)
- ``regress(table, value, ...) -> RegressionResult`` (``frame_regression``)
- ``timeseries(table, value, freq="auto", ...) -> DataFrame`` (``frame_timeseries``)
- ``cooccurrence_by_group(cooccurrence, sentence_frames, ...) -> CooccurrenceResult``
  (``cooccurrence_by_group``: observed, expected by chance and observed/expected)
- ``actors_by_group(actors, ...) -> DataFrame`` (``actors_by_group``)
- ``compare_all(tables, config, seed) -> dict[str, DataFrame]`` (what ``framelens run`` writes)
- ``keyness(sentences, documents)`` (Dunning's G2 key terms per administration)

Array-level building blocks (used by the above and by the honesty tests): ``bootstrap_mean``,
``bootstrap_difference``, ``permutation_test``, ``holm``; the index draws and percentile
intervals underneath are ``framelens.core.resampling``. The statistics settings (replicates,
permutations, min n, interval level, cluster, seed) are one ``StatsSettings``; every function
also takes them as keyword options.

Modules: ``bootstrap`` (interval engines) over ``calibrated_intervals`` (studentized bootstrap,
t and range-bound intervals for few units) and ``calibrated_tests`` (studentized permutation
test), ``index_share`` and ``index_hits`` (pooled share of the framing index, minimum hits),
``differences`` (permutation test, Holm,
contrasts), ``groups`` (``compare``), ``cooccurrence``, ``regression``, ``timeseries``,
``actors``, ``periods`` (joint US/MX periods), ``keyness``, ``run`` (``compare_all``), with
``settings``, ``units`` and ``tidy`` as shared helpers.
"""

from framelens.analysis.stats.actors import ACTORS_BY_GROUP_COLUMNS, actors_by_group
from framelens.analysis.stats.bootstrap import (
    CI_BOUNDED,
    CI_DIFF_BOUNDED,
    CI_NO_VARIATION,
    CI_NONE,
    CI_PERCENTILE,
    CI_PERCENTILE_TIES,
    CI_STUDENTIZED,
    CI_T_SMALL,
    CI_T_TIES,
    CI_WELCH_SMALL,
    CI_WELCH_TIES,
    CI_WILSON,
    MEASURE_BOUNDS,
    STUDENTIZED_MIN_UNITS,
    BootstrapEstimate,
    bootstrap_difference,
    bootstrap_mean,
)
from framelens.analysis.stats.cluster_robust import cr2
from framelens.analysis.stats.composition import composition_table
from framelens.analysis.stats.cooccurrence import (
    COOCCURRENCE_MEASURES,
    CooccurrenceResult,
    cooccurrence_by_group,
    cooccurrence_long,
)
from framelens.analysis.stats.cooccurrence_null import document_cooccurrence
from framelens.analysis.stats.differences import (
    COUNTRY_PAIR,
    DIFFERENCE_COLUMNS,
    holm,
    permutation_test,
)
from framelens.analysis.stats.frame_prevalence import FramePrevalence, frame_prevalence
from framelens.analysis.stats.genre_adjusted import (
    adjusted_differences,
    genre_standardised_difference,
)
from framelens.analysis.stats.groups import (
    BY_DEFAULT,
    FRAME_MEASURES,
    GROUP_COLUMNS,
    TABLE_COLUMNS,
    ComparisonResult,
    compare,
)
from framelens.analysis.stats.keyness import KEYNESS_COLUMNS, g2_statistic, keyness
from framelens.analysis.stats.periods import joint_periods
from framelens.analysis.stats.regression import REGRESSION_COLUMNS, RegressionResult, regress
from framelens.analysis.stats.run import compare_all
from framelens.analysis.stats.settings import StatsSettings
from framelens.analysis.stats.timeseries import TIMESERIES_COLUMNS, timeseries
from framelens.analysis.stats.topic_contrasts import THEME_GROUPS, topic_contrasts
from framelens.analysis.stats.verdicts import VERDICTS

__all__ = [
    "VERDICTS",
    "adjusted_differences",
    "composition_table",
    "cr2",
    "genre_standardised_difference",
    "CI_BOUNDED",
    "CI_DIFF_BOUNDED",
    "CI_NO_VARIATION",
    "CI_T_SMALL",
    "CI_T_TIES",
    "CI_WELCH_SMALL",
    "CI_WELCH_TIES",
    "CooccurrenceResult",
    "THEME_GROUPS",
    "cooccurrence_long",
    "document_cooccurrence",
    "topic_contrasts",
    "FramePrevalence",
    "frame_prevalence",
    "ACTORS_BY_GROUP_COLUMNS",
    "BY_DEFAULT",
    "CI_NONE",
    "CI_PERCENTILE",
    "CI_PERCENTILE_TIES",
    "CI_STUDENTIZED",
    "CI_WILSON",
    "COOCCURRENCE_MEASURES",
    "COUNTRY_PAIR",
    "DIFFERENCE_COLUMNS",
    "FRAME_MEASURES",
    "GROUP_COLUMNS",
    "KEYNESS_COLUMNS",
    "MEASURE_BOUNDS",
    "REGRESSION_COLUMNS",
    "STUDENTIZED_MIN_UNITS",
    "TABLE_COLUMNS",
    "TIMESERIES_COLUMNS",
    "BootstrapEstimate",
    "ComparisonResult",
    "RegressionResult",
    "StatsSettings",
    "actors_by_group",
    "bootstrap_difference",
    "bootstrap_mean",
    "compare",
    "compare_all",
    "cooccurrence_by_group",
    "g2_statistic",
    "holm",
    "joint_periods",
    "keyness",
    "permutation_test",
    "regress",
    "timeseries",
]
