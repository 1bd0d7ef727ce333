"""The documentation (Sphinx sources); a package only so its conftest.py has a unique name."""
