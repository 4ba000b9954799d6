"""A union member that is a ``$ref`` with keywords beside it that say nothing more than
its target, served as the reference alone.

openai's ``InputItem`` is a ``oneOf`` one of whose members is ``{type: object, title:
Item, description: ..., $ref: Item}``, ``Item`` being an object ``oneOf`` itself.
datamodel-code-generator reads such a member as an inline schema merged with its target
and, the target being a union, spliced the target's 27 members into the outer union
(served with 32 members instead of 6, its discriminator mapping the inner members). Beside
a ``$ref``, notes (``title``, ``description``, examples) validate nothing, and a keyword
the target holds with the same value (``type: object`` beside an object) adds nothing
(OpenAPI 3.1 applies both together; 3.0 ignores the siblings): the member is its
target, a class of its own, served as written. The notes of a member of a union without
a ``discriminator`` stay beside its reference (datamodel-code-generator reads a
reference beside notes alone as the reference), where :mod:`generators.emit.member_notes`
serves them; a discriminated union's member is the reference alone (pydantic's
discriminated union serves its members' references bare).
"""

from __future__ import annotations

from typing import Any

from generators.emit import member_notes, walk

_NOTES = frozenset({"title", "description", "example", "examples", "$comment", "externalDocs"})
_UNIONS = ("oneOf", "anyOf")
_COMPONENT = "#/components/schemas/"


def plain(document: dict[str, Any]) -> None:
    """Each union member of ``document`` that is a ``$ref`` to a component beside notes or
    keywords its target repeats made that ``$ref`` alone, the notes served on members
    (:data:`member_notes.NOTES`) kept beside it in a union without a discriminator."""
    schemas = (document.get("components") or {}).get("schemas")
    if not isinstance(schemas, dict):
        return

    def visit(node: dict[str, Any]) -> None:
        noted = member_notes.NOTES if "discriminator" not in node else frozenset()
        for keyword in _UNIONS:
            members = node.get(keyword)
            for member in members if isinstance(members, list) else ():
                if isinstance(member, dict) and _idle_siblings(schemas, member):
                    kept = {k: v for k, v in member.items() if k in noted}
                    walk.replace(member, {"$ref": member["$ref"], **kept})

    walk.bottom_up(document, visit)


def _idle_siblings(schemas: dict[str, Any], member: dict[str, Any]) -> bool:
    """Whether ``member`` is a ``$ref`` to a component with siblings, each a note or one
    its target holds with the same value."""
    ref = member.get("$ref")
    if not isinstance(ref, str) or not ref.startswith(_COMPONENT) or len(member) == 1:
        return False
    target = schemas.get(ref[len(_COMPONENT) :])
    if not isinstance(target, dict):
        return False
    return all(
        key in _NOTES or str(key).startswith("x-") or (key in target and target[key] == value)
        for key, value in member.items()
        if key != "$ref"
    )
