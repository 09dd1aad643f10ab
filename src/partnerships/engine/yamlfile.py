"""YAML as the manifest needs it: each key's line kept, a key written twice refused naming
both lines, dates left as text (checked by the model, so 2026-02-30 gets a message, not a
traceback), a file not saved as UTF-8 named as such."""

from __future__ import annotations

from pathlib import Path

import yaml

from partnerships.errors import UserError


class Lined(dict):
    """A mapping that remembers the line (1-based) of each key and of itself."""

    def __init__(self, data=(), lines: dict | None = None, line: int = 1):
        super().__init__(data)
        self.lines = dict(lines or {})
        self.line = line


class LinedList(list):
    """A list that remembers the line of each item and of itself."""

    def __init__(self, data=(), lines: list | None = None, line: int = 1):
        super().__init__(data)
        self.lines = list(lines or [])
        self.line = line


class _Duplicate(Exception):
    def __init__(self, key, first: int, second: int):
        self.key, self.first, self.second = key, first, second


class _Loader(yaml.SafeLoader):
    pass


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _mapping(loader: _Loader, node: yaml.MappingNode) -> Lined:
    loader.flatten_mapping(node)
    out = Lined(line=node.start_mark.line + 1)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, (str, int, float, bool, type(None))):
            raise yaml.constructor.ConstructorError(None, None, "a key must be plain text", key_node.start_mark)
        if key in out:
            raise _Duplicate(key, out.lines[key], line)
        out[key] = loader.construct_object(value_node, deep=True)
        out.lines[key] = line
    return out


def _sequence(loader: _Loader, node: yaml.SequenceNode) -> LinedList:
    items = [loader.construct_object(child, deep=True) for child in node.value]
    return LinedList(items, [child.start_mark.line + 1 for child in node.value], node.start_mark.line + 1)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


def read_yaml(path: Path, shown: str):
    """The YAML document in ``path`` (mappings are :class:`Lined`, lists :class:`LinedList`)."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise UserError(
            f"{shown}:{line}: not valid UTF-8 (byte 0x{raw[exc.start]:02X}); the file was probably saved "
            "as Windows-1252 or Latin-1: save it as UTF-8"
        ) from None
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 (a SafeLoader subclass)
    except _Duplicate as dup:
        raise UserError(
            f"{shown}:{dup.second}: key {dup.key!r} appears twice (lines {dup.first} and {dup.second}); "
            "keep one (YAML would silently use the last)"
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise UserError(f"{shown}: malformed YAML{at}: {problem}") from None
