"""Contracts split over several files, read as one document.

A ``$ref`` to another file (``./schemas/Pet.yaml``, ``../shared/headers.yml#/rate-limit``),
at any depth and relative to the file that holds it, is resolved when the contract is loaded.
``referencing`` (the library behind ``jsonschema``) joins the URIs, retrieves the files (each
parsed once, with its line map) and follows the JSON pointers; this module only decides where
each referenced part goes in the one bundled document, which no library does for OpenAPI:

- a referenced *schema* becomes a component schema (``#/components/schemas/<name>``, named
  after the pointer's last segment or the file's name, numbered when taken) and the reference
  points there, so generated models get sensible names and recursive schemas stay finite;
- anything else (a path item, an operation, a parameter, a response, a header, a whole
  ``components.schemas`` map, ...) is inlined where it is referenced;
- a ``$ref`` whose target is a string (``description: {$ref: intro.yml#/text}``) is replaced by
  the string, with a warning: OpenAPI only allows references to objects;
- references inside the root file (``#/...``) stay references.

The bundled document remembers where each part came from (``Document.origins``), so a problem
found in it names the file that holds it, the pointer in that file and the line. Remote
(``http``/``https``) references are refused.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin, urlsplit
from urllib.request import url2pathname

from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource, Unresolvable

from generators.loading.document import Document, load_document
from generators.problems import ContractError, Problem, errors, pointer

# Keys under which a schema holds data, not subschemas.
_DATA_KEYS = frozenset({"example", "examples", "default", "enum", "const"})
# Keys under which a schema holds a map of named subschemas.
_SCHEMA_MAPS = frozenset(
    {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"}
)
# Maps whose keys are names (where ``x-...`` is a name, not an extension).
_NAME_MAPS = frozenset(
    {"headers", "properties", "patternProperties", "schemas", "parameters", "examples"}
    | {"requestBodies", "securitySchemes", "links", "callbacks", "$defs", "definitions"}
    | {"pathItems", "encoding", "variables", "mapping", "scopes"}
)
_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def load_bundle(path: Path, display: str | None = None) -> tuple[Document, list[Problem]]:
    """The contract at ``path`` with every reference to another file resolved, and the
    warnings of doing so; ``ContractError`` when a reference cannot be resolved."""
    root = load_document(path, display)
    if not any(not ref.startswith("#") for ref in iter_refs(root.data, extensions=True)):
        return root, []
    return _Bundler(root, path).bundle()


def iter_refs(node: Any, *, extensions: bool = False) -> Iterable[str]:
    """Every ``$ref`` string outside ``x-*`` extensions (or anywhere, with ``extensions``:
    ``x-request-id`` may be a header's name, not an extension)."""
    stack = [node]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str):
                yield node["$ref"]
            stack += [
                value for key, value in node.items() if extensions or not str(key).startswith("x-")
            ]
        elif isinstance(node, list):
            stack += node


class _Bundler:
    def __init__(self, root: Document, path: Path) -> None:
        self.root_uri = path.resolve().as_uri()
        self.root_dir = path.resolve().parent
        self.root = root
        self.documents: dict[str, Document] = {self.root_uri: root}
        # referencing's classes are attrs classes, whose __init__ mypy cannot see.
        registry: Registry[Any] = Registry(retrieve=self._retrieve)  # type: ignore[call-arg]
        self.registry = registry.with_resource(self.root_uri, Resource.opaque(root.data))
        self.origins: dict[str, tuple[Document, str]] = {"": (root, "")}
        self.problems: list[Problem] = []
        self.placed: dict[tuple[str, str], str] = {}  # (file, pointer) → component name
        self.pending: list[tuple[tuple[str, str], str, Any]] = []
        self.taken: set[str] = set()

    # --- files ------------------------------------------------------------------------------

    def _retrieve(self, uri: str) -> Resource[Any]:
        if urlsplit(uri).scheme != "file":
            raise NoSuchResource(ref=uri)  # type: ignore[call-arg]
        path = Path(url2pathname(urlsplit(uri).path))
        if not path.is_file():
            raise NoSuchResource(ref=uri)  # type: ignore[call-arg]
        if uri not in self.documents:
            shown = os.path.normpath(
                os.path.join(os.path.dirname(self.root.file), os.path.relpath(path, self.root_dir))
            )
            self.documents[uri] = load_document(path, shown)  # ContractError: its own problems
        return Resource.opaque(self.documents[uri].data)

    def _target(self, ref: str, file: str) -> tuple[str, str]:
        uri, fragment = urldefrag(urljoin(file, ref))
        return uri, unquote(fragment)

    def _lookup(self, ref: str, file: str, at: str) -> tuple[bool, Any]:
        """The value ``ref`` (written in ``file`` at ``at``) points to."""
        document = self.documents[file]
        scheme = urlsplit(urljoin(file, ref)).scheme
        if scheme != "file":
            message = (
                f"remote $ref {ref!r} is not supported: save it beside the contract and "
                "refer to it by a relative path"
            )
            self.problems.append(document.problem(at + "/$ref", message))
            return False, None
        try:
            return True, self.registry.resolver(file).lookup(ref).contents
        except ContractError as error:
            self.problems += error.problems
        except Unresolvable:
            uri, fragment = self._target(ref, file)
            path = Path(url2pathname(urlsplit(uri).path))
            missing = f"{path.name} does not exist" if not path.is_file() else f"no {fragment}"
            message = f"$ref {ref!r} points to nothing ({missing})"
            self.problems.append(document.problem(at + "/$ref", message))
        return False, None

    # --- the walk ---------------------------------------------------------------------------

    def bundle(self) -> tuple[Document, list[Problem]]:
        self._reserve_component_names()
        data = self._walk(self.root.data, self.root_uri, "", "", "doc", ())
        while self.pending:
            (file, at), name, value = self.pending.pop(0)
            where = pointer("components", "schemas", name)
            self.origins[where] = (self.documents[file], at)
            schemas = data.setdefault("components", {}).setdefault("schemas", {})
            schemas[name] = self._walk(value, file, at, where, "schema", ())
        if errors(self.problems):
            raise ContractError(self.problems)
        bundled = Document(self.root.file, data, self.root.lines, self.origins)
        return bundled, self.problems

    def _reserve_component_names(self) -> None:
        """The names of ``components.schemas`` are taken first, and an entry that is only a
        reference to another file is where that file's schema goes (``Pet: {$ref: Pet.yaml}``
        makes the schema of Pet.yaml the component ``Pet``)."""
        components = self.root.data.get("components")
        schemas = components.get("schemas") if isinstance(components, dict) else None
        file = self.root_uri
        if isinstance(schemas, dict) and isinstance(schemas.get("$ref"), str):
            file = self._target(schemas["$ref"], self.root_uri)[0]
            found, schemas = self._lookup(schemas["$ref"], self.root_uri, "/components/schemas")
            if not found:
                return
        if not isinstance(schemas, dict):
            return
        self.taken.update(str(name) for name in schemas)
        for name, schema in schemas.items():
            ref = schema.get("$ref") if isinstance(schema, dict) else None
            if isinstance(ref, str) and not (ref.startswith("#") and file == self.root_uri):
                self.placed.setdefault(self._target(ref, file), str(name))

    def _walk(
        self, node: Any, file: str, at: str, to: str, kind: str, inlining: tuple[Any, ...]
    ) -> Any:
        """``node`` (found in ``file`` at ``at``) as it goes to ``to`` in the bundle.
        ``kind``: "schema" inside a Schema Object, "data" inside example values, else "doc"."""
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str) and kind != "data":
                return self._reference(node, file, at, to, kind, inlining)
            named = _last(to) in _NAME_MAPS  # its keys are names: x-request-id is a header
            if kind == "schema" and isinstance(node.get("discriminator"), dict):
                node = {**node, "discriminator": self._mapping_bundled(node, file, at)}
            return {
                key: value
                if str(key).startswith("x-") and not named
                else self._walk(
                    value,
                    file,
                    at + pointer(key),
                    to + pointer(key),
                    _kind(kind, str(key), to),
                    inlining,
                )
                for key, value in node.items()
            }
        if isinstance(node, list):
            return [
                self._walk(item, file, f"{at}/{index}", f"{to}/{index}", kind, inlining)
                for index, item in enumerate(node)
            ]
        return node

    def _reference(
        self,
        node: dict[str, Any],
        file: str,
        at: str,
        to: str,
        kind: str,
        inlining: tuple[Any, ...],
    ) -> Any:
        ref: str = node["$ref"]
        siblings = {
            key: self._walk(value, file, at + pointer(key), to + pointer(key), kind, inlining)
            for key, value in node.items()
            if key != "$ref"
        }
        target = self._target(ref, file)
        if target[0] == self.root_uri:  # into the root file: a local reference
            local = "#" + pointer(*target[1].split("/")[1:]) if target[1] else "#"
            return {"$ref": local, **siblings}
        slot = to.rsplit("/", 1)[0] == "/components/schemas"  # Pet: {$ref: Pet.yaml}
        if kind == "schema" and not (slot and self.placed.get(target) == _last(to)):
            name = self.placed.get(target)
            if name is None:
                found, value = self._lookup(ref, file, at)
                if not found:
                    return node
                name = self._place(target, value)
            return {"$ref": "#" + pointer("components", "schemas", name), **siblings}
        if target in inlining:
            message = f"$ref {ref!r} leads back to itself through other files"
            self.problems.append(self.documents[file].problem(at + "/$ref", message))
            return node
        found, value = self._lookup(ref, file, at)
        if not found:
            return node
        target_file = urldefrag(urljoin(file, ref))[0]
        self.origins[to] = (self.documents[target_file], target[1])
        inlined = self._walk(value, target_file, target[1], to, kind, (*inlining, target))
        if not isinstance(inlined, dict | list):
            message = (
                f"$ref {ref!r} stands for a {type(inlined).__name__}: OpenAPI refers only to "
                "objects; read as the value it points to"
            )
            self.problems.append(self.documents[file].problem(at + "/$ref", message, warning=True))
            self.origins[to] = (self.documents[file], at)
            return inlined
        return {**inlined, **siblings} if isinstance(inlined, dict) else inlined

    def _mapping_bundled(self, schema: dict[str, Any], file: str, at: str) -> dict[str, Any]:
        """The schema's ``discriminator`` with each ``mapping`` value that refers to another
        file (lichess's ``follow: ./TimelineEntryFollow.yaml``, DigitalOcean's
        ``attach: models/volume_action_post_attach.yml``) or, written in another file, to a
        schema of that file (DigitalOcean's ``assign: '#/reserved_ip_action_assign'``)
        pointing where that schema is in the bundle, as a ``$ref`` beside it does; a schema
        name stays a name."""
        discriminator: dict[str, Any] = schema["discriminator"]
        mapping = discriminator.get("mapping")
        if not isinstance(mapping, dict):
            return discriminator
        bundled = {}
        for value, ref in mapping.items():
            if isinstance(ref, str) and self._is_file(ref, file):
                where = at + pointer("discriminator", "mapping", str(value))
                ref = self._reference({"$ref": ref}, file, where, "", "schema", ())["$ref"]
            bundled[value] = ref
        return {**discriminator, "mapping": bundled}

    def _is_file(self, ref: str, file: str) -> bool:
        uri = self._target(ref, file)[0]
        return urlsplit(uri).scheme == "file" and Path(url2pathname(urlsplit(uri).path)).is_file()

    def _place(self, target: tuple[str, str], value: Any) -> str:
        file, at = target
        base = unquote(at.rsplit("/", 1)[1]) if at else Path(urlsplit(file).path).stem
        base = _NAME.sub("_", base).strip("_") or "Schema"
        name, number = base, 2
        while name in self.taken:
            name, number = f"{base}{number}", number + 1
        self.taken.add(name)
        self.placed[target] = name
        self.pending.append((target, name, value))
        return name


def _kind(parent: str, key: str, to: str) -> str:
    """What the value of ``key`` is, in a ``parent`` of that kind (``to``: its place)."""
    if parent == "schema":
        if key in _DATA_KEYS:
            return "data"
        return "schemas" if key in _SCHEMA_MAPS else "schema"
    if parent in ("schemas", "data"):
        return "schema" if parent == "schemas" else "data"
    if key in ("schema", "itemSchema"):
        return "schema"
    return "schemas" if key == "schemas" and to == "/components" else "doc"


def _last(at: str) -> str:
    return at.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
