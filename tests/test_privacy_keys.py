"""Issue 18, item 2: keys that resist guessing, made and read safely."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import reussite as r
from reussite.cli import main
from reussite.privacy import (
    EVALUATION,
    MAX_KEY_FILE_BYTES,
    MIN_KEY_BITS,
    KeyFileReadable,
    check_key,
    generate_key,
    key_strength,
    pseudonymise,
    read_key,
    write_key,
)
from reussite.privacy._purpose import pseudonymiser

WEAK = {
    "zeros": bytes(32),
    "the docs' old example": b"k" * 32,
    "counting": bytes(range(32)),
    "a short pattern": b"0123456789abcdef" * 2,
    "digits": b"0" * 64,
}


@pytest.mark.parametrize("name", sorted(WEAK))
def test_keys_that_do_not_look_random_are_refused(name: str) -> None:
    key = WEAK[name]
    assert key_strength(key) < MIN_KEY_BITS
    with pytest.raises(r.InvalidValue, match="a random-looking key") as caught:
        pseudonymise("enf-0001", key=key, purpose=EVALUATION, kind="child")
    assert repr(key) not in str(caught.value)


def test_random_keys_pass_the_test() -> None:
    """The documented test: random keys of every usual form score above the bar."""
    for _ in range(2000):
        raw = os.urandom(32)
        for key in (raw, raw.hex().encode(), base64.b64encode(raw), secrets.token_hex(16).encode()):
            assert key_strength(key) >= MIN_KEY_BITS, key
            assert check_key(key) == key


def test_generate_key() -> None:
    assert len(generate_key()) == 32
    assert len(generate_key(64)) == 64
    for bad in (16, 32.0, True):
        with pytest.raises(r.InvalidValue, match=r"generate_key\.size"):
            generate_key(bad)  # type: ignore[arg-type]


def test_write_key_makes_a_private_file_and_never_replaces_one(tmp_path: Path) -> None:
    old = os.umask(0)  # the most permissive umask: the mode must not depend on it
    try:
        path = tmp_path / "K"
        key = write_key(path)
        assert path.read_bytes() == key
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        with pytest.raises(r.InvalidValue, match="never replaced unless overwrite=True"):
            write_key(path)
        assert path.read_bytes() == key
        path.chmod(0o644)
        other = write_key(path, overwrite=True)
        assert other != key
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    finally:
        os.umask(old)


def test_read_key_uses_the_file_byte_for_byte(tmp_path: Path) -> None:
    path = tmp_path / "K"
    key = write_key(path)
    assert read_key(path) == key
    path.write_bytes(key + b"\n")  # a trailing newline is part of the key
    assert read_key(path) == key + b"\n"
    assert pseudonymise("enf-1", key=key, purpose=EVALUATION, kind="child") != pseudonymise(
        "enf-1", key=key + b"\n", purpose=EVALUATION, kind="child"
    )


def test_read_key_warns_when_others_can_read_the_file(tmp_path: Path) -> None:
    path = tmp_path / "K"
    write_key(path)
    path.chmod(0o644)
    with pytest.warns(KeyFileReadable, match=r"can be read by other users \(mode 0644\)"):
        read_key(path)


def test_read_key_reads_with_a_bound(tmp_path: Path) -> None:
    big = tmp_path / "big"
    big.write_bytes(os.urandom(MAX_KEY_FILE_BYTES + 1))
    big.chmod(0o600)
    with pytest.raises(r.InvalidValue, match="a key file of at most 4096 bytes"):
        read_key(big)
    if Path("/dev/zero").exists():
        with pytest.raises(r.InvalidValue, match="a key file of at most 4096 bytes"):
            read_key("/dev/zero")


def test_read_key_checks_the_key(tmp_path: Path) -> None:
    path = tmp_path / "K"
    path.write_bytes(b"k" * 32)
    path.chmod(0o600)
    with pytest.raises(r.InvalidValue, match=r"read_key\.key: expected a random-looking key"):
        read_key(path)


# --- the command line --------------------------------------------------------------------


def test_keygen_writes_a_key_the_export_accepts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "pre-export.key"
    assert main(["keygen", str(path)]) == 0
    err = capsys.readouterr().err
    assert "clé de 32 octets écrite" in err
    assert "(mode 0600)" in err
    key = path.read_bytes()
    assert len(key) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert check_key(key) == key
    assert main(["keygen", str(path)]) == 2  # a usage error: --force replaces it
    assert "une clé n'est jamais remplacée, sauf --force" in capsys.readouterr().err
    assert path.read_bytes() == key
    assert main(["keygen", "--force", str(path)]) == 0
    assert path.read_bytes() != key


def _cohort(tmp_path: Path) -> Path:
    from conftest import make_programme, to_state
    from reussite.serialization import dump_cohort

    cohort = tmp_path / "cohorte.jsonl"
    dump_cohort([to_state(make_programme(), r.State.ACTIVE)], cohort)
    return cohort


def test_export_warns_on_a_key_file_others_can_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = tmp_path / "K"
    write_key(key)
    key.chmod(0o640)
    argv = ["export", "--purpose", "evaluation", "--key-file", str(key), "--as-of", "2020-01-01"]
    assert main([*argv, str(_cohort(tmp_path))]) == 0
    err = capsys.readouterr().err
    assert err.startswith(f"reussite export : attention : {key} can be read by other users")
    assert "chmod 600" in err


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_export_refuses_dev_zero_as_a_key_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["export", "--purpose", "evaluation", "--key-file", "/dev/zero"]
    assert main([*argv, str(_cohort(tmp_path))]) == 2
    assert "--key-file /dev/zero : expected a key file of at most 4096 bytes" in (
        capsys.readouterr().err
    )


@settings(max_examples=50)
@given(
    raw=st.text(min_size=1, max_size=30),
    kind=st.sampled_from(["child", "family", "pathway"]),
    purpose=st.sampled_from(["evaluation", "survey", "research"]),
)
def test_a_pseudonym_is_the_hmac_the_rule_states(raw: str, kind: str, purpose: str) -> None:
    key = bytes.fromhex("b80433ed315b97e8e6383b2c56a74a026f51af5e11817b22ec2c13dfa0a76f3e")
    message = "\x1f".join(("reussite-pseudonym-v1", purpose, kind, raw)).encode("utf-8")
    expected = hmac.new(key, message, hashlib.sha256).hexdigest()[:32]
    assert pseudonymise(raw, key=key, purpose=purpose, kind=kind) == expected
    assert pseudonymiser(key, purpose)(kind, raw) == expected


def test_a_pseudonymiser_checks_its_key_once_when_made() -> None:
    with pytest.raises(r.InvalidValue, match="random-looking"):
        pseudonymiser(b"k" * 32, "evaluation")


def test_only_text_is_pseudonymised_and_str_kinds_are_read_as_their_text() -> None:
    import enum

    class Kind(str, enum.Enum):  # noqa: UP042 - not StrEnum: its format is not its value
        CHILD = "child"

    class Name(str):
        def __format__(self, spec: str) -> str:
            return "other"

    key = generate_key()
    plain = pseudonymise("enf-1", key=key, purpose="evaluation", kind="child")
    assert pseudonymise("enf-1", key=key, purpose="evaluation", kind=Kind.CHILD) == plain
    assert pseudonymise(Name("enf-1"), key=key, purpose="evaluation", kind="child") == plain
    for raw, kind in ((123, "child"), (None, "child"), (b"enf-1", "child"), ("enf-1", None)):
        with pytest.raises(r.InvalidValue, match="an identifier") as refused:
            pseudonymise(raw, key=key, purpose="evaluation", kind=kind)  # type: ignore[arg-type]
        assert "enf-1" not in str(refused.value)  # the identifier itself is never shown
    with pytest.raises(r.InvalidValue, match="key"):  # the key is checked first
        pseudonymise("enf-1", key=b"short", purpose="no such purpose!", kind="child")
