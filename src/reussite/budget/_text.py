"""Text normalisation shared by the keyword rules, the ledger headers and the funders."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalise_account_code", "normalise_text"]

_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})
_NOT_WORD = re.compile(r"[^a-z0-9+]+")
_CODE_NOISE = re.compile(r"[\s.\-_/]+")
_CODE = re.compile(r"[0-9a-z]{1,20}")


def normalise_text(value: str) -> str:
    """Fold a French label so keyword rules match however it was typed.

    The rule: lowercase (``casefold``), ligatures spelt out (œ → oe), accents removed,
    every apostrophe, dash or punctuation mark turned into a space, spaces collapsed.
    ``+`` is kept (``FSE+``). This is the form every keyword pattern is written in.

    Args:
        value: any text: a label (*libellé*), a funder name, a column header.

    Returns:
        The folded text, ASCII letters, digits, ``+`` and single spaces only.

    >>> normalise_text("Ville de Berre-l’Étang")
    'ville de berre l etang'
    >>> normalise_text("  13-ETAT-POLITIQUE-VILLE ")
    '13 etat politique ville'
    >>> normalise_text("Main-d'œuvre")
    'main d oeuvre'
    """
    folded = unicodedata.normalize("NFKD", value.casefold().translate(_LIGATURES))
    stripped = "".join(c for c in folded if not unicodedata.combining(c))
    return _NOT_WORD.sub(" ", stripped).strip()


def normalise_account_code(value: str) -> str | None:
    """Clean an account code as ledgers print it, or ``None`` if it is not one.

    The rule: spaces, dots, dashes, underscores and slashes are dropped (``64 131``,
    ``6.4.1.3.1``), letters are lowercased (Dauphin references such as ``74EPCI``); what
    remains must be 1 to 20 letters or digits (*numéro de compte*).

    Args:
        value: the code as found in the source.

    Returns:
        The normalised code, or ``None`` when nothing usable remains.

    >>> normalise_account_code(" 64.131 ")
    '64131'
    >>> normalise_account_code("74EPCI")
    '74epci'
    >>> normalise_account_code("64%1") is None
    True
    """
    cleaned = _CODE_NOISE.sub("", value).lower()
    return cleaned if _CODE.fullmatch(cleaned) else None
