"""Responses beyond a JSON body, on the Swagger Petstore v3: the app answers in XML where
the contract documents XML and the request prefers it, shaped by the contract's ``xml``
objects; the XML it writes is XML it accepts; documented response headers are the
service's to set, and reach the client."""

from __future__ import annotations

import sys
from pathlib import Path

from tests.helpers import shared_file
from tests.test_fidelity import _run, scaffold

BEHAVIOUR = """\
from fastapi.testclient import TestClient
from src.core import security
from src.main import create_app
from src.services import pet, user
from specs.schemas import Category, Pet, Tag

REX = Pet(id=7, name="Rex", category=Category(id=1, name="Dogs"), photoUrls=["a.png", "b.png"],
          tags=[Tag(id=1, name="good")], status="available")
received = []
pet.get_pet_by_id = lambda **kw: REX.model_copy(update={"id": kw["pet_id"]})
pet.find_pets_by_status = lambda **kw: [REX, REX.model_copy(update={"id": 8})]
pet.add_pet = lambda **kw: received.append(kw["body"]) or kw["body"]

def login_user(*, username, password, session, headers):
    headers["X-Rate-Limit"] = "100"
    headers["X-Expires-After"] = "2030-01-01T00:00:00Z"
    return f"token for {username}"

user.login_user = login_user
app = create_app()
for name in dir(security):  # authentication is tested elsewhere
    if name.startswith("require_"):
        app.dependency_overrides[getattr(security, name)] = lambda: None
client = TestClient(app)

XML_PET = (
    "<?xml version='1.0' encoding='utf-8'?>\\n<pet><id>7</id><name>Rex</name>"
    "<category><id>1</id><name>Dogs</name></category><photoUrls><photoUrl>a.png</photoUrl>"
    "<photoUrl>b.png</photoUrl></photoUrls><tags><tag><id>1</id><name>good</name></tag>"
    "</tags><status>available</status></pet>"
)
answer = client.get("/api/v3/pet/7", headers={"accept": "application/xml"})
assert answer.status_code == 200 and answer.headers["content-type"] == "application/xml"
assert answer.text == XML_PET, answer.text
assert answer.headers["vary"] == "Accept"

for accept in (None, "application/json", "*/*", "application/xml;q=0.5, application/json"):
    answer = client.get("/api/v3/pet/7", headers={"accept": accept} if accept else {})
    assert answer.headers["content-type"] == "application/json", accept
    assert answer.json()["photoUrls"] == ["a.png", "b.png"]
accept = "application/json;q=0.4, text/*, application/*"
answer = client.get("/api/v3/pet/7", headers={"accept": accept})
assert answer.headers["content-type"] == "application/xml"

answer = client.get(
    "/api/v3/pet/findByStatus", params={"status": "available"},
    headers={"accept": "application/xml"},
)
assert answer.text.startswith("<?xml version='1.0' encoding='utf-8'?>\\n<items><pet><id>7</id>")
assert answer.text.count("<pet>") == 2

sent = client.post("/api/v3/pet", content=XML_PET, headers={
    "content-type": "application/xml", "accept": "application/xml"})
assert sent.status_code == 200, sent.text
assert received[0] == REX and sent.text == XML_PET

answer = client.get("/api/v3/user/login", params={"username": "ann", "password": "pw"})
assert answer.status_code == 200, answer.text
assert answer.headers["x-rate-limit"] == "100"
assert answer.headers["x-expires-after"] == "2030-01-01T00:00:00Z"
print("ok")
"""


def test_petstore_answers_in_xml_and_with_its_documented_headers(tmp_path: Path) -> None:
    project = tmp_path / "project"
    scaffold(project, shared_file("specs", "swagger-petstore-v3.yaml"), None)
    result = _run([sys.executable, "-c", BEHAVIOUR], project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("ok")
