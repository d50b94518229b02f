"""Seat and facilitator tokens: random, shown once, stored only as hashes.

A token is 32 random bytes (``secrets.token_urlsafe``); the database keeps its SHA-256. With
that much entropy a plain hash is enough: nobody can guess a token, and a leaked database does
not give the links back. Comparisons run in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hashed(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def matches(token: str, stored_hash: str | None) -> bool:
    """Does ``token`` hash to ``stored_hash`` (compared in constant time)?"""
    return stored_hash is not None and hmac.compare_digest(hashed(token), stored_hash)


def new_session_id() -> str:
    return secrets.token_hex(8)
