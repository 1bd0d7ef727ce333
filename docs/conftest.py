"""The documentation's examples run in an empty folder, as a reader's would.

Nothing they do depends on a checkout of ``reussite``: the sample files come from the
installed package (``reussite.sample_path``), and the files an example writes
(``broken.jsonl``) land in a temporary folder.
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _in_an_empty_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
