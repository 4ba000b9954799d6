"""Request bodies beyond JSON: forms, multipart uploads, raw bytes, several media types
(``text/json`` and ``application/*+json`` beside JSON too, as ASP.NET contracts list them).

A small contract (in OpenAPI 3.0 and in 3.1 spelling) is generated into a scaffold project
whose services echo what they receive; the project's app is then served in a subprocess (its
own ``src`` package) and sent real forms, files, bytes and XML. A service left unfilled
answers 501, which proves the request was parsed and reached it; an invalid or missing field
must be refused with 422 before that. The served OpenAPI document must document each body as
the contract does, and the generated code must pass ruff and ``mypy --strict``.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from generators.emit.api import form_encoding
from generators.generate import generate
from generators.loading.openapi import load_api
from tests.helpers import ROOT, lay_out_template, send_requests

Json = dict[str, Any]

ECHO = {"type": "object", "additionalProperties": True}


def _ok(schema: Json) -> Json:
    return {"200": {"description": "OK", "content": {"application/json": {"schema": schema}}}}


def contract(version: str) -> Json:
    """The contract; ``version`` picks how binary strings are spelled (3.0 or 3.1)."""
    v31 = version.startswith("3.1")
    pdf = {"type": "string", "contentMediaType": "application/pdf"} if v31 else None
    binary = {"type": "string", "format": "binary"}
    octets = {"type": "string", "contentMediaType": "application/octet-stream"}
    pet = {"$ref": "#/components/schemas/Pet"}
    node = {"$ref": "#/components/schemas/Node"}  # recursive, read and written
    return {
        "openapi": version,
        "info": {"title": "Bodies", "version": "1.0.0"},
        "paths": {
            "/session": {
                "post": {
                    "operationId": "login",
                    "tags": ["intake"],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/x-www-form-urlencoded": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "username": {"type": "string", "minLength": 3},
                                        "password": {"type": "string", "format": "password"},
                                        "remember": {"type": "boolean", "default": False},
                                        "scopes": {"type": "array", "items": {"type": "string"}},
                                        "session": {
                                            "type": "string",
                                            "description": "A label (clashes with the DB "
                                            "session argument)",
                                        },
                                    },
                                    "required": ["username", "password"],
                                },
                                "encoding": {  # what FastAPI does: documented as written
                                    "username": {"style": "form"},
                                    "scopes": {"style": "form", "explode": True},
                                },
                            }
                        },
                    },
                    "responses": _ok(ECHO),
                }
            },
            "/pets/form": {
                "post": {
                    "operationId": "createPetForm",
                    "tags": ["intake"],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/x-www-form-urlencoded": {
                                "schema": {"$ref": "#/components/schemas/PetForm"}
                            }
                        },
                    },
                    "responses": _ok(ECHO),
                }
            },
            "/pets": {
                "post": {
                    "operationId": "addPet",
                    "tags": ["intake"],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {"schema": pet},
                            "application/xml": {"schema": pet},
                            "application/x-www-form-urlencoded": {"schema": pet},
                            "text/json": {"schema": pet},
                        },
                    },
                    "responses": _ok(pet),
                },
                "put": {
                    "operationId": "replacePets",
                    "tags": ["intake"],
                    "requestBody": {  # optional, a list: served by its contract schema
                        "content": {
                            kind: {"schema": {"type": "array", "items": pet}}
                            for kind in ("application/json", "text/json", "application/*+json")
                        }
                    },
                    "responses": _ok(ECHO),
                },
            },
            "/trees": {
                "post": {
                    "operationId": "plantTree",
                    "tags": ["intake"],
                    "requestBody": {"content": {"application/json": {"schema": node}}},
                    "responses": {
                        "200": {
                            "description": "OK",
                            "content": {
                                kind: {"schema": node}
                                for kind in ("text/plain", "application/json", "text/json")
                            },
                        }
                    },
                }
            },
            "/pets/either": {  # Discord's auto-moderation rules: a oneOf of components
                "post": {
                    "operationId": "addEitherPet",
                    "tags": ["intake"],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {"oneOf": [pet, {"$ref": "#/components/schemas/PetForm"}]}
                            }
                        },
                    },
                    "responses": _ok(ECHO),
                }
            },
            "/pets/any": {  # Discord's channel updates: an anyOf, with an extension beside
                "post": {
                    "operationId": "addAnyPet",
                    "tags": ["intake"],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "anyOf": [pet, {"$ref": "#/components/schemas/PetForm"}],
                                    "x-union": True,
                                }
                            }
                        },
                    },
                    "responses": _ok(ECHO),
                }
            },
            "/pets/names": {  # Discord's bulk bodies: an inline array with bounds
                "put": {
                    "operationId": "renamePets",
                    "tags": ["intake"],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": ["array", "null"] if v31 else "array",
                                    "items": {"type": "string"},
                                    "minItems": 1,
                                    "maxItems": 2,
                                }
                            }
                        },
                    },
                    "responses": _ok(ECHO),
                }
            },
            "/folders/{folderId}/documents": {
                "post": {
                    "operationId": "uploadDocument",
                    "tags": ["files"],
                    "parameters": [
                        {
                            "name": "folderId",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        }
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "multipart/form-data": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "file": pdf or binary,
                                        "attachments": {
                                            "type": "array",
                                            "items": octets if v31 else binary,
                                        },
                                        "title": {"type": "string", "maxLength": 10},
                                        "pages": {"type": "integer", "minimum": 1},
                                    },
                                    "required": ["file", "title"],
                                },
                                "encoding": {"title": {"style": "form"}},
                            }
                        },
                    },
                    "responses": _ok(ECHO),
                }
            },
            "/blobs/{blobId}": {
                "put": {
                    "operationId": "putBlob",
                    "tags": ["files"],
                    "parameters": [
                        {
                            "name": "blobId",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        }
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {"application/octet-stream": {"schema": binary}},
                    },
                    "responses": _ok(ECHO),
                }
            },
            "/addresses": {  # Twilio's: an optional body whose schema requires fields
                "post": {
                    "operationId": "createAddress",
                    "tags": ["intake"],
                    "requestBody": {
                        "content": {
                            "application/x-www-form-urlencoded": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "City": {"type": "string"},
                                        "Street": {"type": "string"},
                                        "FriendlyName": {"type": "string"},
                                    },
                                    "required": ["City", "Street"],
                                }
                            }
                        },
                    },
                    "responses": _ok(ECHO),
                }
            },
            "/scans": {
                "post": {
                    "operationId": "addScan",
                    "tags": ["files"],
                    "requestBody": {
                        "content": {
                            "multipart/form-data": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "scan": binary,
                                        "label": {"type": "string"},
                                    },
                                    "required": ["scan", "label"],
                                }
                            }
                        },
                    },
                    "responses": _ok(ECHO),
                }
            },
            "/charges": {  # Stripe's: a closed form, its objects and lists as deepObject
                "post": {
                    "operationId": "createCharge",
                    "tags": ["intake"],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/x-www-form-urlencoded": {
                                "schema": {
                                    "type": "object",
                                    "additionalProperties": False,
                                    "required": ["amount"],
                                    "properties": {
                                        "amount": {"type": "integer", "minimum": 1},
                                        "metadata": {
                                            "anyOf": [
                                                {
                                                    "type": "object",
                                                    "additionalProperties": {"type": "string"},
                                                },
                                                {"type": "string", "enum": [""]},
                                            ]
                                        },
                                        "expand": {"type": "array", "items": {"type": "string"}},
                                        "card": {
                                            "type": "object",
                                            "required": ["number"],
                                            "properties": {
                                                "number": {"type": "string"},
                                                "exp": {
                                                    "type": "object",
                                                    "properties": {
                                                        "month": {
                                                            "type": "integer",
                                                            "maximum": 12,
                                                        },
                                                        "year": {"type": "integer"},
                                                    },
                                                },
                                            },
                                        },
                                        "codes": {"type": "array", "items": {"type": "integer"}},
                                        "currency": {"$ref": "#/components/schemas/Currency"},
                                        "payout": {  # 3.1 applies the default, 3.0 not
                                            "$ref": "#/components/schemas/Coin",
                                            "default": "eur",
                                        },
                                    },
                                },
                                "encoding": {
                                    "metadata": {"style": "deepObject", "explode": True},
                                    "expand": {"style": "deepObject", "explode": True},
                                    "card": {"style": "deepObject", "explode": True},
                                    "codes": {"style": "pipeDelimited", "explode": False},
                                },
                            }
                        },
                    },
                    "responses": _ok(ECHO),
                }
            },
            "/exports": {  # OpenAI's: multipart parts holding objects are JSON (no encoding)
                "post": {
                    "operationId": "createExport",
                    "tags": ["files"],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "multipart/form-data": {
                                "schema": {
                                    "type": "object",
                                    "required": ["file"],
                                    "properties": {
                                        "file": binary,
                                        "expires": {"$ref": "#/components/schemas/Expiry"},
                                        "options": {
                                            "type": "object",
                                            "properties": {"quality": {"type": "integer"}},
                                        },
                                        # OpenAI's chunking_strategy: a model only named
                                        # in a union the field is typed Any for
                                        "chunking": {
                                            "anyOf": [
                                                {"type": "string", "enum": ["auto"]},
                                                {"$ref": "#/components/schemas/Vad"},
                                            ]
                                        },
                                    },
                                },
                            }
                        },
                    },
                    "responses": _ok(ECHO),
                }
            },
            "/portraits": {  # each part of the type its encoding gives
                "post": {
                    "operationId": "uploadPortrait",
                    "tags": ["files"],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "multipart/form-data": {
                                "schema": {
                                    "type": "object",
                                    "required": ["image"],
                                    "properties": {
                                        "image": binary,
                                        "frames": {"type": "array", "items": binary},
                                        "expires": {"$ref": "#/components/schemas/Expiry"},
                                        "tags": {"type": "array", "items": {"type": "string"}},
                                    },
                                },
                                "encoding": {
                                    "image": {"contentType": "image/png, image/jpeg"},
                                    "frames": {"contentType": "image/*"},
                                    "expires": {"contentType": "application/json"},
                                    "tags": {"contentType": "application/json"},
                                },
                            }
                        },
                    },
                    "responses": _ok(ECHO),
                }
            },
            "/notes": {
                "post": {
                    "operationId": "appendNote",
                    "tags": ["files"],
                    "requestBody": {"content": {"text/plain": {"schema": {"type": "string"}}}},
                    "responses": _ok(ECHO),
                }
            },
        },
        "components": {
            "schemas": {
                "Currency": {"type": "string", "enum": ["usd", "eur"], "default": "usd"},
                "Coin": {"type": "string", "enum": ["usd", "eur"]},
                "Vad": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["type"],
                    "properties": {
                        "type": {"type": "string", "enum": ["server_vad"]},
                        "threshold": {"type": "number", "default": 0.5},
                    },
                },
                "Expiry": {
                    "type": "object",
                    "required": ["anchor", "seconds"],
                    "properties": {
                        "anchor": {"type": "string", "enum": ["created_at"]},
                        "seconds": {"type": "integer", "minimum": 3600},
                    },
                },
                "PetForm": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string"},
                        "age": {"type": "integer", "minimum": 0},
                        "tags": {"type": "array", "items": {"type": "string"}},
                    },
                    "required": ["name"],
                },
                "Category": {
                    "type": "object",
                    "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
                },
                "Tag": {
                    "type": "object",
                    "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
                },
                "Pet": {
                    "type": "object",
                    "required": ["name", "photoUrls"],
                    "properties": {
                        "id": {"type": "integer"},
                        "name": {"type": "string"},
                        "category": {"$ref": "#/components/schemas/Category"},
                        "photoUrls": {
                            "type": "array",
                            "xml": {"wrapped": True},
                            "items": {"type": "string"},
                        },
                        "tags": {
                            "type": "array",
                            "xml": {"wrapped": True},
                            "items": {"$ref": "#/components/schemas/Tag"},
                        },
                        "status": {"type": "string", "enum": ["available", "sold"]},
                    },
                    "xml": {"name": "pet"},
                },
                "Node": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string"},
                        "children": {"type": "array", "items": node},
                    },
                },
            }
        },
    }


# What the filled services do: echo what reached them, with the types they were given.
FILLED = {
    "createPetForm": "return body.model_dump(by_alias=True)",
    "addPet": "return body",
    "replacePets": 'return {"names": None if body is None else [pet.name for pet in body]}',
    "plantTree": "return body if body is not None else Node()",
    "addEitherPet": 'return {"kind": type(body).__name__}',
    "addAnyPet": 'return {"kind": type(body).__name__}',
    "renamePets": 'return {"names": body}',
    "uploadDocument": (
        "return {\n"
        '        "folder": folder_id,\n'
        '        "file": [file.filename, file.file.read().decode()],\n'
        '        "attachments": [a.filename for a in attachments or []],\n'
        '        "title": title,\n'
        '        "pages": pages,\n'
        "    }"
    ),
    "putBlob": 'return {"blob": blob_id, "size": len(body), "head": body[:2].hex()}',
    "createCharge": (
        "return {\n"
        '        "amount": amount,\n'
        '        "metadata": metadata,\n'
        '        "expand": expand,\n'
        '        "card": card,\n'
        '        "codes": codes,\n'
        '        "currency": currency,\n'
        '        "payout": payout,\n'
        "    }"
    ),
    "createExport": (
        "return {\n"
        '        "expires": None if expires is None else expires.model_dump(),\n'
        '        "options": options,\n'
        "    }"
    ),
    "appendNote": 'return {"text": None if body is None else body.decode()}',
    "uploadPortrait": (
        "return {\n"
        '        "image": image.content_type,\n'
        '        "frames": [frame.content_type for frame in frames or []],\n'
        '        "expires": None if expires is None else expires.model_dump(),\n'
        '        "tags": tags,\n'
        "    }"
    ),
}

PET_XML = (
    '<?xml version="1.0"?><pet><id>10</id><name>doggie</name>'
    "<category><id>1</id><name>Dogs</name></category>"
    "<photoUrls><photoUrl>a.png</photoUrl><photoUrl>b.png</photoUrl></photoUrls>"
    "<tags><tag><id>7</id><name>good</name></tag></tags><status>sold</status></pet>"
)
PET = {
    "id": 10,
    "name": "doggie",
    "category": {"id": 1, "name": "Dogs"},
    "photoUrls": ["a.png", "b.png"],
    "tags": [{"id": 7, "name": "good"}],
    "status": "sold",
}

TREE = {"name": "root", "children": [{"name": "leaf", "children": []}]}

EXPIRY = {"anchor": "created_at", "seconds": 3600}

CHARGE = {
    "amount": "5",
    "metadata[order]": "7",
    "metadata[note]": "x",
    "expand[]": ["a", "b"],
    "card[number]": "4242",
    "card[exp][month]": "12",
    "card[exp][year]": "2030",
    "codes": "1|2",
}

# name → (method, url, what to send, expected status)
REQUESTS: dict[str, tuple[str, str, Json, int]] = {
    "login": (
        "POST",
        "/session",
        {
            "data": {
                "username": "alice",
                "password": "pw",
                "remember": "true",
                "scopes": ["a", "b"],
                "session": "s1",
            }
        },
        501,
    ),
    "login short username": (
        "POST",
        "/session",
        {"data": {"username": "al", "password": "x"}},
        422,
    ),
    "login no password": ("POST", "/session", {"data": {"username": "alice"}}, 422),
    "login as json": ("POST", "/session", {"json": {"username": "alice", "password": "x"}}, 422),
    "pet form": (
        "POST",
        "/pets/form",
        {"data": {"name": "rex", "age": "3", "tags": ["a", "b"]}},
        200,
    ),
    "pet form negative age": ("POST", "/pets/form", {"data": {"name": "rex", "age": "-1"}}, 422),
    "pet form no name": ("POST", "/pets/form", {"data": {"age": "1"}}, 422),
    "upload": (
        "POST",
        "/folders/4/documents",
        {
            "files": [
                ["file", "a.pdf", "hello"],
                ["attachments", "x.bin", "1"],
                ["attachments", "y.bin", "2"],
            ],
            "data": {"title": "Report", "pages": "3"},
        },
        200,
    ),
    "upload one file only": (
        "POST",
        "/folders/4/documents",
        {"files": [["file", "a.pdf", "hello"]], "data": {"title": "Report"}},
        200,
    ),
    "upload no file": (
        "POST",
        "/folders/4/documents",
        {"files": [["x", "x", "1"]], "data": {"title": "T"}},
        422,
    ),
    "upload long title": (
        "POST",
        "/folders/4/documents",
        {"files": [["file", "a.pdf", "1"]], "data": {"title": "far too long a title"}},
        422,
    ),
    "upload zero pages": (
        "POST",
        "/folders/4/documents",
        {"files": [["file", "a.pdf", "1"]], "data": {"title": "T", "pages": "0"}},
        422,
    ),
    "blob": (
        "PUT",
        "/blobs/b1",
        {"content": "\u0000\u0001rest", "headers": {"content-type": "application/octet-stream"}},
        200,
    ),
    "note": (
        "POST",
        "/notes",
        {"content": "hello", "headers": {"content-type": "text/plain"}},
        200,
    ),
    "no note": ("POST", "/notes", {}, 200),
    "address": ("POST", "/addresses", {"data": {"City": "Oslo", "Street": "Gate 1"}}, 501),
    "address without body": ("POST", "/addresses", {}, 501),  # the body is optional
    "address without street": ("POST", "/addresses", {"data": {"City": "Oslo"}}, 422),
    "address of another name": ("POST", "/addresses", {"data": {"FriendlyName": "x"}}, 422),
    "scan": (
        "POST",
        "/scans",
        {"files": [["scan", "a.png", "1"]], "data": {"label": "front"}},
        501,
    ),
    "scan without body": ("POST", "/scans", {}, 501),
    "scan without label": ("POST", "/scans", {"files": [["scan", "a.png", "1"]]}, 422),
    "scan without file": (
        "POST",
        "/scans",
        {"files": [["x", "x", "1"]], "data": {"label": "a"}},
        422,
    ),
    "charge": ("POST", "/charges", {"data": CHARGE}, 200),
    "charge unsetting its metadata": (
        "POST",
        "/charges",
        {"data": {"amount": "5", "metadata": ""}},
        200,
    ),
    "charge of an undeclared field": (
        "POST",
        "/charges",
        {"data": {"amount": "5", "colour": "red"}},
        422,
    ),
    "charge of nested metadata": (
        "POST",
        "/charges",
        {"data": {"amount": "5", "metadata[a][b]": "1"}},
        422,
    ),
    "charge of a bad month": (
        "POST",
        "/charges",
        {"data": {"amount": "5", "card[number]": "1", "card[exp][month]": "13"}},
        422,
    ),
    "charge without card number": (
        "POST",
        "/charges",
        {"data": {"amount": "5", "card[exp][month]": "1"}},
        422,
    ),
    "charge of bad codes": ("POST", "/charges", {"data": {"amount": "5", "codes": "1|x"}}, 422),
    "charge without amount": ("POST", "/charges", {"data": {"expand[]": "a"}}, 422),
    "export": (
        "POST",
        "/exports",
        {
            "files": [["file", "a.csv", "1"]],
            "data": {
                "expires": json.dumps({"anchor": "created_at", "seconds": 3600}),
                "options": json.dumps({"quality": 5}),
            },
        },
        200,
    ),
    "export with no json": (
        "POST",
        "/exports",
        {"files": [["file", "a.csv", "1"]], "data": {"expires": "soon"}},
        422,
    ),
    "export too short": (
        "POST",
        "/exports",
        {
            "files": [["file", "a.csv", "1"]],
            "data": {"expires": json.dumps({"anchor": "created_at", "seconds": 60})},
        },
        422,
    ),
    "export chunked": (
        "POST",
        "/exports",
        {
            "files": [["file", "a.csv", "1"]],
            "data": {"chunking": json.dumps({"type": "server_vad", "threshold": 0.2})},
        },
        200,
    ),
    "export of a bad chunking": (
        "POST",
        "/exports",
        {"files": [["file", "a.csv", "1"]], "data": {"chunking": json.dumps({"type": "x"})}},
        422,
    ),
    "export of a bad option": (
        "POST",
        "/exports",
        {"files": [["file", "a.csv", "1"]], "data": {"options": json.dumps({"quality": "x"})}},
        422,
    ),
    "portrait": (
        "POST",
        "/portraits",
        {
            "files": [
                ["image", "a.png", "1", "image/png"],
                ["frames", "b.gif", "2", "image/gif"],
                ["frames", "c.webp", "3", "image/webp"],
            ],
            "data": {"expires": json.dumps(EXPIRY), "tags": json.dumps(["a", "b"])},
        },
        200,
    ),
    "portrait of a jpeg with parameters": (
        "POST",
        "/portraits",
        {"files": [["image", "a.jpg", "1", "image/jpeg; q=1"]]},
        200,
    ),
    "portrait of a gif": (
        "POST",
        "/portraits",
        {"files": [["image", "a.gif", "1", "image/gif"]]},
        422,
    ),
    "portrait with a text frame": (
        "POST",
        "/portraits",
        {"files": [["image", "a.png", "1", "image/png"], ["frames", "b.txt", "2", "text/plain"]]},
        422,
    ),
    "portrait whose json part is a file": (
        "POST",
        "/portraits",
        {
            "files": [
                ["image", "a.png", "1", "image/png"],
                ["expires", "e.json", json.dumps(EXPIRY), "application/json"],
            ]
        },
        200,
    ),
    "portrait whose json part is a png file": (
        "POST",
        "/portraits",
        {
            "files": [
                ["image", "a.png", "1", "image/png"],
                ["expires", "e.png", json.dumps(EXPIRY), "image/png"],
            ]
        },
        422,
    ),
    "portrait of a bad expiry": (
        "POST",
        "/portraits",
        {
            "files": [["image", "a.png", "1", "image/png"]],
            "data": {"expires": json.dumps({"anchor": "created_at", "seconds": 60})},
        },
        422,
    ),
    "portrait of tags not json": (
        "POST",
        "/portraits",
        {"files": [["image", "a.png", "1", "image/png"]], "data": {"tags": "a"}},
        422,
    ),
    "pet json": ("POST", "/pets", {"json": PET}, 200),
    "pet xml": (
        "POST",
        "/pets",
        {"content": PET_XML, "headers": {"content-type": "application/xml"}},
        200,
    ),
    "pet form fields": (
        "POST",
        "/pets",
        {
            "data": {
                "id": "10",
                "name": "doggie",
                "category": json.dumps(PET["category"]),
                "photoUrls": ["a.png", "b.png"],
                "tags": json.dumps(PET["tags"][0]),
                "status": "sold",
            }
        },
        200,
    ),
    "pet xml without name": (
        "POST",
        "/pets",
        {"content": "<pet><photoUrls/></pet>", "headers": {"content-type": "application/xml"}},
        422,
    ),
    "pet broken xml": (
        "POST",
        "/pets",
        {"content": "<pet>", "headers": {"content-type": "application/xml"}},
        422,
    ),
    "either: only a PetForm": ("POST", "/pets/either", {"json": {"name": "rex"}}, 200),
    "either: Pet and PetForm": (
        "POST",
        "/pets/either",
        {"json": {"name": "rex", "photoUrls": []}},
        422,
    ),
    "either: only a Pet": ("POST", "/pets/either", {"json": PET}, 200),
    "either: neither": ("POST", "/pets/either", {"json": {"age": 1}}, 422),
    "any: a Pet": ("POST", "/pets/any", {"json": PET}, 200),
    "any: neither": ("POST", "/pets/any", {"json": {"age": 1}}, 422),
    "two names": ("PUT", "/pets/names", {"json": ["a", "b"]}, 200),
    "three names": ("PUT", "/pets/names", {"json": ["a", "b", "c"]}, 422),
    "no name": ("PUT", "/pets/names", {"json": []}, 422),
    "pet as csv": (  # a media type the contract does not list: 415
        "POST",
        "/pets",
        {"content": "a,b", "headers": {"content-type": "text/csv"}},
        415,
    ),
    "pet text/json": (
        "POST",
        "/pets",
        {"content": json.dumps(PET), "headers": {"content-type": "text/json"}},
        200,
    ),
    "pet text/json without name": (
        "POST",
        "/pets",
        {"content": '{"photoUrls": []}', "headers": {"content-type": "text/json"}},
        422,
    ),
    "pets text/json": (
        "PUT",
        "/pets",
        {"content": json.dumps([PET]), "headers": {"content-type": "text/json; charset=utf-8"}},
        200,
    ),
    "pets vendor json": (
        "PUT",
        "/pets",
        {"content": json.dumps([PET]), "headers": {"content-type": "application/vnd.pets+json"}},
        200,
    ),
    "pets text/json not a list": (
        "PUT",
        "/pets",
        {"content": json.dumps(PET), "headers": {"content-type": "text/json"}},
        422,
    ),
    "pets text/json broken": (
        "PUT",
        "/pets",
        {"content": "[{", "headers": {"content-type": "text/json"}},
        422,
    ),
    "no pets": ("PUT", "/pets", {}, 200),
    "tree": ("POST", "/trees", {"json": TREE}, 200),
    "tree not a tree": ("POST", "/trees", {"json": {"children": [{"name": 1}]}}, 422),
}


def scaffold(project: Path, openapi: Json) -> None:
    """The template laid out, with ``openapi`` as the contract."""
    lay_out_template(project)
    (project / "specs/openapi.yaml").write_text(yaml.safe_dump(openapi, sort_keys=False))


def fill(project: Path) -> None:
    for module in ("intake", "files"):
        service = project / f"src/services/{module}.py"
        text = service.read_text()
        for operation, code in FILLED.items():
            text = text.replace(f'raise ServiceNotImplementedError("{operation}")', code)
        if "raise ServiceNotImplementedError" not in text:
            text = text.replace("\nfrom src.core.errors import ServiceNotImplementedError\n", "")
        service.write_text(text)


@pytest.fixture(scope="module", params=["3.0.3", "3.1.0"])
def served(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Json:
    """The project of the contract in one OpenAPI version, generated, filled and served."""
    project = tmp_path_factory.mktemp(f"bodies-{request.param}")
    openapi = contract(request.param)
    scaffold(project, openapi)
    generate(project / "specs/openapi.yaml", None, project)
    fill(project)
    sent = send_requests(project, {n: (m, u, s) for n, (m, u, s, _) in REQUESTS.items()})
    return {"project": project, "contract": openapi, **sent}


@pytest.mark.parametrize("name", list(REQUESTS))
def test_requests_reach_the_service_or_are_refused(served: Json, name: str) -> None:
    status, body = served["responses"][name]
    assert status == REQUESTS[name][3], body


def test_the_services_get_the_parsed_values(served: Json) -> None:
    responses = {name: body for name, (_, body) in served["responses"].items()}
    assert responses["pet form"] == {"name": "rex", "age": 3, "tags": ["a", "b"]}
    assert responses["either: only a PetForm"] == {"kind": "PetForm"}
    assert responses["either: only a Pet"] == {"kind": "Pet"}  # its tags are no strings
    assert responses["upload"] == {
        "folder": 4,
        "file": ["a.pdf", "hello"],
        "attachments": ["x.bin", "y.bin"],
        "title": "Report",
        "pages": 3,
    }
    assert responses["upload one file only"]["attachments"] == []
    assert responses["portrait"] == {
        "image": "image/png",
        "frames": ["image/gif", "image/webp"],
        "expires": EXPIRY,
        "tags": ["a", "b"],
    }
    assert responses["portrait whose json part is a file"]["expires"] == EXPIRY
    assert responses["blob"] == {"blob": "b1", "size": 6, "head": "0001"}
    assert responses["note"] == {"text": "hello"}
    assert responses["no note"] == {"text": None}
    assert responses["pet json"] == responses["pet xml"] == responses["pet form fields"] == PET
    assert responses["pet text/json"] == PET
    assert responses["pets text/json"] == responses["pets vendor json"] == {"names": ["doggie"]}
    assert responses["no pets"] == {"names": None}
    assert responses["tree"] == TREE
    assert responses["charge"] == {
        "amount": 5,
        "metadata": {"order": "7", "note": "x"},
        "expand": ["a", "b"],
        "card": {"number": "4242", "exp": {"month": 12, "year": 2030}},
        "codes": [1, 2],
        "currency": "usd",  # the default of the schema its field refers to
        "payout": None if served["contract"]["openapi"].startswith("3.0") else "eur",
    }
    assert responses["charge unsetting its metadata"]["metadata"] == ""
    assert responses["export"] == {
        "expires": {"anchor": "created_at", "seconds": 3600},
        "options": {"quality": 5},
    }


def _operation(served: Json, path: str, method: str) -> tuple[Json, Json]:
    return served["contract"]["paths"][path][method], served["openapi"]["paths"][path][method]


def _resolve(document: Json, schema: Json) -> Json:
    ref = schema.get("$ref")
    if ref is None:
        return schema
    resolved: Json = document["components"]["schemas"][ref.rsplit("/", 1)[1]]
    return resolved


def _without_title(schema: Json) -> Json:
    return {key: value for key, value in schema.items() if key != "title"}


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/session", "post"),
        ("/folders/{folderId}/documents", "post"),
        ("/addresses", "post"),
        ("/scans", "post"),
    ],
)
def test_inline_forms_are_documented_field_by_field_as_written(
    served: Json, path: str, method: str
) -> None:
    """FastAPI names the schema of separate form fields itself (``Body_…``); behind that
    reference are the contract's own fields, required ones and field schemas. Of an
    optional body, the required fields are served beside the reference (OpenAPI 3.1
    applies both): FastAPI's model holds them as optional, as the body is."""
    written, operation = _operation(served, path, method)
    ((media_type, content),) = written["requestBody"]["content"].items()
    assert list(operation["requestBody"]["content"]) == [media_type]
    required = written["requestBody"].get("required", False)
    assert operation["requestBody"].get("required", False) == required
    reference = operation["requestBody"]["content"][media_type]["schema"]
    schema = _resolve(served["openapi"], reference)
    assert schema["type"] == "object"
    served_required = schema["required"] if required else reference["required"]
    assert sorted(served_required) == sorted(content["schema"]["required"])
    served_fields = {name: _without_title(s) for name, s in schema["properties"].items()}
    assert served_fields == content["schema"]["properties"]


def test_a_form_encoding_is_served_as_written(served: Json) -> None:
    """Each field ``style: form`` (a list as repeated fields): what FastAPI reads; Stripe's
    ``deepObject`` and a ``pipeDelimited`` list: what the route reads (``Encoded``); a
    part's ``contentType``: a file's (checked), JSON (the part read as JSON)."""
    paths = ("/session", "/folders/{folderId}/documents", "/charges", "/portraits")
    for path in paths:
        written, operation = _operation(served, path, "post")
        for media_type, content in written["requestBody"]["content"].items():
            served_content = operation["requestBody"]["content"][media_type]
            assert served_content["encoding"] == content["encoding"]


def test_a_closed_form_is_served_closed(served: Json) -> None:
    """``additionalProperties: false`` in FastAPI's model of the form's fields (beside its
    reference it would refuse every field: OpenAPI 3.1 does not look into the reference)."""
    _, operation = _operation(served, "/charges", "post")
    (content,) = operation["requestBody"]["content"].values()
    schema = _resolve(served["openapi"], content["schema"])
    assert schema["additionalProperties"] is False
    assert "additionalProperties" not in content["schema"]
    _, operation = _operation(served, "/session", "post")
    (content,) = operation["requestBody"]["content"].values()
    assert "additionalProperties" not in _resolve(served["openapi"], content["schema"])


@pytest.mark.parametrize(
    ("field", "entry", "served"),
    [
        ("tags", {"style": "form", "explode": True}, True),
        ("name", {"style": "form", "allowReserved": False}, True),
        ("tags", {"style": "form", "explode": False}, True),  # a,b in one field: read so
        ("tags", {"style": "spaceDelimited"}, True),
        ("meta", {"style": "deepObject", "explode": True}, True),  # meta[a]=1
        ("meta", {"style": "form"}, True),  # an exploded object: its fields at the top
        ("name", {"contentType": "text/plain"}, False),  # a part's type: not checked
        ("name", {"contentType": "application/json"}, True),  # its text read as JSON
        ("tags", {"contentType": "application/json"}, True),
        ("meta", {"contentType": "application/json, text/json"}, True),
        ("meta", {"contentType": "application/json", "headers": {}}, False),
        ("absent", {"style": "form"}, False),
    ],
)
def test_a_form_encoding_is_served_only_where_the_form_is_read_so(
    tmp_path: Path, field: str, entry: Json, served: bool
) -> None:
    schema = {
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "meta": {"type": "object", "properties": {"a": {"type": "string"}}},
        },
    }
    form = {"schema": schema, "encoding": {field: entry}}
    document = {
        "openapi": "3.1.0",
        "info": {"title": "Forms", "version": "1"},
        "paths": {
            "/forms": {
                "post": {
                    "operationId": "postForm",
                    "requestBody": {"content": {"application/x-www-form-urlencoded": form}},
                    "responses": {"204": {"description": "Done"}},
                }
            }
        },
    }
    spec = tmp_path / "openapi.yaml"
    spec.write_text(yaml.safe_dump(document))
    api = load_api(spec)
    found = form_encoding(api.operations[0], api)
    expected = ("application/x-www-form-urlencoded", {field: entry}) if served else None
    assert found == expected


def test_a_form_of_a_component_is_documented_by_reference(served: Json) -> None:
    written, operation = _operation(served, "/pets/form", "post")
    assert operation["requestBody"] == written["requestBody"]
    component = served["openapi"]["components"]["schemas"]["PetForm"]
    assert set(component["properties"]) == {"name", "age", "tags"}


def test_raw_bodies_are_documented_as_written(served: Json) -> None:
    for path, method in (("/blobs/{blobId}", "put"), ("/notes", "post")):
        written, operation = _operation(served, path, method)
        body = operation["requestBody"]
        assert body.get("required", False) == written["requestBody"].get("required", False)
        assert list(body["content"]) == list(written["requestBody"]["content"])
        for media_type, content in written["requestBody"]["content"].items():
            assert _without_title(body["content"][media_type]["schema"]) == content["schema"]


def test_every_documented_media_type_is_served_and_accepted(served: Json) -> None:
    """JSON, XML, form fields and ``text/json`` of one ``Pet``; a list of them in three
    JSON media types: all listed with the contract's schema, all parsed (see the requests)."""
    written, operation = _operation(served, "/pets", "post")
    assert operation["requestBody"] == written["requestBody"]
    assert "Pet" in served["openapi"]["components"]["schemas"]
    written, operation = _operation(served, "/pets", "put")
    content = operation["requestBody"]["content"]
    assert list(content) == list(written["requestBody"]["content"])
    assert all(
        _without_title(entry["schema"]) == written["requestBody"]["content"][kind]["schema"]
        for kind, entry in content.items()
    )


def test_a_recursive_model_read_and_written_is_served_once(served: Json) -> None:
    """pydantic renders ``Node`` in its input and its output mode, and cannot tell the two
    recursive schemas the same: served once, as ``Node``, every reference resolves."""
    document = served["openapi"]
    schemas = document["components"]["schemas"]
    assert "Node" in schemas and not {"Node-Input", "Node-Output"} & set(schemas)
    refs = set(re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', json.dumps(document)))
    assert refs <= set(schemas)
    _, operation = _operation(served, "/trees", "post")
    for entry in operation["responses"]["200"]["content"].values():
        assert entry["schema"] == {"$ref": "#/components/schemas/Node"}


def test_the_contract_fidelity_tool_finds_every_body_as_written(served: Json) -> None:
    """The template's own check (``tools/contract_fidelity.py``, run by the project's gate)
    compares the served request bodies with the contract's: no difference."""
    project: Path = served["project"]
    shutil.copytree(ROOT / "template/tools", project / "tools", dirs_exist_ok=True)
    out = project / "fidelity.json"
    command = [sys.executable, "-m", "tools.contract_fidelity", "--json", str(out)]
    result = subprocess.run(command, cwd=project, capture_output=True, text=True, check=False)
    assert out.exists(), result.stdout + result.stderr
    differences = json.loads(out.read_text())["differences"]
    bodies = [d for d in differences if str(d["difference"]).startswith("requestBody")]
    assert bodies == [], result.stdout
    dangling = [d for d in differences if "unresolvable" in str(d["difference"])]
    assert dangling == [], result.stdout


def test_the_generated_code_passes_ruff_and_mypy_strict(served: Json, tmp_path: Path) -> None:
    """Routers, the filled services and ``src/core/bodies.py``, from the project's root."""
    project: Path = served["project"]
    paths = ["src/api", "src/services", "src/core/bodies.py", "specs"]
    ruff = [sys.executable, "-m", "ruff"]
    lint = ["check", "--isolated", "--select", "E,F,W,I,UP,B,SIM,N", "--ignore", "E501"]
    mypy = [sys.executable, "-m", "mypy", "--strict", "--python-version", "3.11"]
    mypy += ["--explicit-package-bases", "--cache-dir", str(tmp_path / "mypy")]
    for command in ([*ruff, *lint], [*ruff, "format", "--isolated", "--check"], mypy):
        result = subprocess.run(
            [*command, *paths], cwd=project, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_the_services_get_precise_types(served: Json) -> None:
    text = (served["project"] / "src/services/files.py").read_text()
    assert "file: UploadFile," in text
    assert "attachments: list[UploadFile] | None," in text
    assert "pages: int | None," in text
    assert "body: bytes," in text and "body: bytes | None," in text
    assert "expires: Expiry | None," in text
    intake = (served["project"] / "src/services/intake.py").read_text()
    assert "session_field: str | None," in intake and "scopes: list[str] | None," in intake
    assert "body: PetForm," in intake and "body: Pet," in intake
    assert "codes: list[int] | None," in intake and "currency: Currency," in intake


def test_fields_the_route_reads_are_json_for_fastapi(served: Json) -> None:
    """A field FastAPI cannot read is ``Json[T]`` marked ``Encoded`` with its encoding:
    FastAPI reads the JSON the route makes of it (a form model field would be flattened)."""
    router = (served["project"] / "src/api/v1/intake.py").read_text()
    assert re.search(r"metadata: Annotated\[\s*Json\[Any \| None\]", router)
    assert 'Encoded({"style": "deepObject", "explode": True}, "3.' in router
    assert "Depends(ClosedForm())" in router
    files = (served["project"] / "src/api/v1/files.py").read_text()
    assert re.search(r"expires: Annotated\[\s*Json\[Expiry \| None\]", files)
