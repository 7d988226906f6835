"""framelens.outputs."""
