"""framelens.core: the foundation layer. It imports nothing else of framelens.

- ``errors``: every user-facing message with its code, the exception classes, exit codes.
- ``config``: ``RunConfig`` and every config check, in one place.
- ``domain``: countries, languages, frames, administrations and their boundaries, group order.
- ``seeding``: the one seeding scheme (``rng``, ``derive_seed``).
- ``packagedata``: the one loader of versioned package data (lexicons, actors, topic seeds).
- ``io``: atomic, deterministic file and table writers and their readers.
"""
