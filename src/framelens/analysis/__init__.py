"""framelens.analysis."""
