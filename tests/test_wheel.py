"""The wheel, as a new user gets it: built, installed elsewhere, the how-to guides run from
another folder on nothing but what it ships (samples, licence, ``py.typed``)."""

from __future__ import annotations

import doctest
import email
import os
import pathlib
import re
import shlex
import subprocess
import sys
import zipfile

import pytest

ROOT = pathlib.Path(__file__).parent.parent
HOW_TOS = sorted((ROOT / "docs" / "how-to").glob("*.md"))
HOW_TOS.remove(ROOT / "docs" / "how-to" / "test-your-tool.md")  # reads no shipped file; the
# suite runs it in an empty folder (docs/conftest.py), and its searches are long
TUTORIALS = sorted((ROOT / "docs" / "tutorial").glob("*.md"))
PIP = (sys.executable, "-m", "pip")
QUIET = ("--quiet", "--no-deps")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> pathlib.Path:
    pytest.importorskip("hatchling")
    folder = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [*PIP, "wheel", *QUIET, "--no-build-isolation", "--wheel-dir", str(folder), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (built,) = folder.glob("reussite-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> dict[str, str]:
    """The environment of a process that imports reussite from the installed wheel."""
    site = tmp_path_factory.mktemp("site")
    subprocess.run(
        [*PIP, "install", *QUIET, "--target", str(site), str(wheel)],
        check=True,
        capture_output=True,
    )
    bin_folder = tmp_path_factory.mktemp("bin")
    python = bin_folder / "python"
    python.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} "$@"\n')
    python.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COV_", "COVERAGE"))}
    env |= {"PYTHONPATH": str(site), "PATH": f"{bin_folder}{os.pathsep}{env['PATH']}"}
    env["PYTHONWARNINGS"] = "ignore"
    where = subprocess.run(
        ["python", "-c", "import reussite; print(reussite.__file__)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.startswith(str(site)), where.stdout
    return env


def test_the_wheel_ships_the_licence_the_samples_and_the_types(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "reussite-0.1.0.dist-info/licenses/LICENSE" in names
    assert "reussite/py.typed" in names
    from reussite.samples import SAMPLES

    for sample in SAMPLES.values():
        assert f"reussite/data/{sample.file}" in names
    metadata = email.message_from_bytes(
        zipfile.ZipFile(wheel).read("reussite-0.1.0.dist-info/METADATA")
    )
    assert metadata["License-Expression"] == "MIT"
    classifiers = metadata.get_all("Classifier")
    for minor in ("3.11", "3.12", "3.13"):
        assert f"Programming Language :: Python :: {minor}" in classifiers
    extras = metadata.get_all("Provides-Extra")
    assert {"testing", "notebook", "pandas"} <= set(extras)
    testing = [r for r in metadata.get_all("Requires-Dist") if "extra == 'testing'" in r]
    assert [r.split(";")[0].split(">")[0] for r in testing] == ["hypothesis"]


def console_commands(page: pathlib.Path) -> list[tuple[str, str]]:
    """Each ``$ command`` of the page's console blocks, with the output shown under it."""
    text = page.read_text(encoding="utf-8")
    commands: list[tuple[str, str]] = []
    for block in re.findall(r"^```console\n(.*?)^```", text, flags=re.DOTALL | re.MULTILINE):
        for chunk in re.split(r"^\$ ", block, flags=re.MULTILINE)[1:]:
            lines = chunk.splitlines()
            command = lines.pop(0)
            while command.endswith("\\"):
                command = command[:-1] + lines.pop(0)
            commands.append((command, "\n".join(lines)))
    return commands


@pytest.mark.parametrize("page", [*HOW_TOS, *TUTORIALS], ids=lambda p: p.name)
def test_a_guide_runs_from_another_folder_on_the_installed_wheel(page, installed, tmp_path):
    # The Python blocks first (they may write files the commands read), as doctests...
    check = (
        "import doctest, sys; flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE; "
        "failed, _ = doctest.testfile(sys.argv[1], module_relative=False, optionflags=flags);"
        " sys.exit(bool(failed))"
    )
    done = subprocess.run(
        ["python", "-c", check, str(page)],
        env=installed,
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    # ... then every command of its console blocks, in the same folder.
    checker = doctest.OutputChecker()
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    for command, shown in console_commands(page):
        if command.startswith(("pip ", "python -m pip")):
            continue
        ran = subprocess.run(
            ["bash", "-c", command],
            env=installed,
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        if not shown.strip():
            assert ran.returncode == 0, (command, ran.stdout)
        else:
            assert checker.check_output(shown + "\n", ran.stdout, flags), (command, ran.stdout)


def test_without_hypothesis_the_testing_kit_says_which_extra_to_install(installed, tmp_path):
    code = (
        "import sys; sys.modules['hypothesis'] = None\n"
        "try:\n    import reussite.testing\n"
        "except ImportError as error:\n    print(type(error).__name__, error)\n"
    )
    done = subprocess.run(
        ["python", "-c", code], env=installed, cwd=tmp_path, capture_output=True, text=True
    )
    assert done.stdout == (
        "MissingOptionalDependency reussite.testing needs hypothesis, which is not installed:"
        ' pip install "reussite[testing]"\n'
    )
