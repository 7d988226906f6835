"""framelens.demo."""
