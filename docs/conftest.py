"""pytest: the Sphinx configuration and build output are not test modules."""

collect_ignore = ["conf.py"]
collect_ignore_glob = ["_build/*", "_generated/*"]
