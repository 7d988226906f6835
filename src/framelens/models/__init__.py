"""framelens.models."""
