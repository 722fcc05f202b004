"""The generated-bank cache runs no code it did not write: a forged or exposed cache is only a miss."""

from __future__ import annotations

import hmac
import os
import pickle
from pathlib import Path

import pytest

from khasham_learn.cache import cache_dir, generated_bank

KEY_FILE = "hmac.key"


class _Planted:
    """Unpickling this creates a marker file: proof that the cache would have run foreign code."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, ...]:
        return (open, (str(self.marker), "w"))


def plant(cached: Path, marker: Path, key: bytes | None, tag: str = "signed") -> None:
    payload = pickle.dumps(_Planted(marker))
    if tag == "signed" and key is not None:
        cached.write_bytes(hmac.digest(key, payload, "sha256") + payload)
    elif tag == "bad":
        cached.write_bytes(b"\x80\x04" + b"\0" * 30 + payload)
    else:  # a bare pickle, as another user (or an older khasham-learn) would write it
        cached.write_bytes(payload)


@pytest.fixture
def cached_bank(make_bank):
    root = make_bank()
    _, questions = generated_bank(root)
    (cached,) = cache_dir().glob("*.pickle")
    return root, questions, cached


@pytest.mark.parametrize("tag", ["bad", "none"])
def test_a_cache_file_with_a_bad_hmac_is_a_miss_and_runs_nothing(cached_bank, tmp_path, tag):
    root, questions, cached = cached_bank
    marker = tmp_path / "ran"
    plant(cached, marker, key=None, tag=tag)
    assert generated_bank(root)[1] == questions  # regenerated
    assert not marker.exists()
    assert generated_bank(root)[1] == questions  # and the rewritten cache is a hit again
    pickle.loads(cached.read_bytes()[32:])  # the rewritten file is a real cache, not the planted one
    assert not marker.exists()
    pickle.loads(pickle.dumps(_Planted(marker)))  # the payload is live: unpickled, it leaves its mark
    assert marker.exists()


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
@pytest.mark.parametrize("exposed", ["folder", "file"])
def test_a_signed_cache_in_a_world_writable_place_is_a_miss(cached_bank, tmp_path, exposed):
    # Even a correctly signed file is not trusted where another user could have swapped it.
    root, questions, cached = cached_bank
    marker = tmp_path / "ran"
    plant(cached, marker, key=(cached.parent / KEY_FILE).read_bytes())
    (cached.parent if exposed == "folder" else cached).chmod(0o777)
    assert generated_bank(root)[1] == questions
    assert not marker.exists()


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_key_others_can_read_is_not_used(cached_bank, tmp_path):
    root, questions, cached = cached_bank
    key_file = cached.parent / KEY_FILE
    marker = tmp_path / "ran"
    plant(cached, marker, key=key_file.read_bytes())
    key_file.chmod(0o644)  # anyone could have read it, so anyone could have signed the cache
    assert generated_bank(root)[1] == questions
    assert not marker.exists()


def test_the_cache_and_its_key_are_owner_only(cached_bank):
    _, _, cached = cached_bank
    if hasattr(os, "getuid"):
        assert cached.parent.stat().st_mode & 0o777 == 0o700
        assert (cached.parent / KEY_FILE).stat().st_mode & 0o777 == 0o600
        assert cached.stat().st_mode & 0o077 == 0
