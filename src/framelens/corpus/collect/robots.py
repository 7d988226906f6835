"""robots.txt rules per site, read with Protego (RFC 9309 semantics).

Protego is used rather than ``urllib.robotparser`` because the standard library parser does
not implement the rules of RFC 9309 that real sites rely on: ``*`` and ``$`` wildcards in
paths, the longest-match precedence between ``Allow`` and ``Disallow`` (the standard parser
takes the first rule that matches, so ``Allow: /a/b`` after ``Disallow: /a`` is ignored) and
percent-encoding normalisation. Protego is pure Python, small and maintained by the Scrapy
project.

What a fetch of ``/robots.txt`` means (RFC 9309, section 2.3.1):

- 2xx: the rules apply (an empty file allows everything);
- 4xx (but 429): no rules, everything allowed;
- 429, 5xx, or no connection (after the retries): the site is treated as disallowing
  everything for this run, and each of its URLs is recorded as a ``robots`` failure.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of ``url`` (lower-cased), the scope of one robots.txt.

    >>> origin_of("HTTPS://Example.org:8443/a/b?c")
    'https://example.org:8443'
    """
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme.lower()}://{host}{port}"


def product_token(user_agent: str) -> str:
    """The product token of a user agent (``framelens`` of ``framelens/0.1 (...)``).

    >>> product_token("framelens/0.1 (research; contact: me@example.org)")
    'framelens'
    """
    first = user_agent.strip().split()[0] if user_agent.strip() else ""
    return first.split("/")[0] or user_agent


@dataclass
class RobotsRules:
    """The robots.txt rules of one site for one user agent.

    ``parser`` is None when everything is allowed (no file) or everything is refused
    (``refuse_all``: the file could not be fetched); ``reason`` says why in that case.
    """

    origin: str
    user_agent: str
    parser: Protego | None = None
    refuse_all: bool = False
    reason: str = ""

    @classmethod
    def from_text(cls, origin: str, user_agent: str, text: str) -> RobotsRules:
        """Rules parsed from the text of a robots.txt."""
        return cls(origin, user_agent, parser=Protego.parse(text))

    def allowed(self, url: str) -> bool:
        """True when the user agent may fetch ``url``."""
        if self.refuse_all:
            return False
        if self.parser is None:
            return True
        return bool(self.parser.can_fetch(url, product_token(self.user_agent)))

    def why_refused(self, url: str) -> str:
        """One line saying why ``url`` is refused (for collect_log.csv)."""
        if self.refuse_all:
            return self.reason
        return f"disallowed by {self.origin}/robots.txt for user agent {product_token(self.user_agent)!r}"

    def crawl_delay(self) -> float | None:
        """The ``Crawl-delay`` of the matching group, in seconds, or None."""
        if self.parser is None:
            return None
        value = self.parser.crawl_delay(product_token(self.user_agent))
        return float(value) if value is not None else None
