"""Settings of ``framelens collect``: defined with every other setting in ``core.config``."""

from framelens.core.config import CONTACT_PLACEHOLDER, DEFAULT_USER_AGENT, CollectConfig

__all__ = ["CONTACT_PLACEHOLDER", "DEFAULT_USER_AGENT", "CollectConfig"]
