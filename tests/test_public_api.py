from __future__ import annotations

import inspect
import subprocess
import sys

import reussite


def test_all_is_complete_and_documented():
    public = {n for n in dir(reussite) if not n.startswith("_")}
    modules = {n for n in public if inspect.ismodule(getattr(reussite, n))}
    assert set(reussite.__all__) - {"__version__"} == public - modules
    for name in reussite.__all__:
        obj = getattr(reussite, name)
        if inspect.isclass(obj) or inspect.isfunction(obj):
            assert inspect.getdoc(obj), f"{name} has no docstring"


def test_every_public_module_and_name_has_a_docstring():
    import importlib
    import pkgutil

    for info in pkgutil.iter_modules(reussite.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"reussite.{info.name}")
        assert inspect.getdoc(module), info.name
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if inspect.isclass(obj) or inspect.isfunction(obj):
                assert inspect.getdoc(obj), f"reussite.{info.name}.{name}"


def test_import_reussite_does_not_import_hypothesis():
    code = "import sys, reussite; print('hypothesis' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_version_comes_from_the_package_metadata():
    assert reussite.__version__ == "0.1.0"
