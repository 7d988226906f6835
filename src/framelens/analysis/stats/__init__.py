"""Stage 5: group estimates, differences, regression, time series, keyness, propositions."""

from framelens.analysis.stats.compare import ComparisonResult, compare, compare_all
from framelens.analysis.stats.keyness import g2_statistic, keyness

__all__ = ["ComparisonResult", "compare", "compare_all", "g2_statistic", "keyness"]
