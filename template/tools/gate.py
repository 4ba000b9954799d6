"""The G5 gate's records, read off the proof files in .truth/proofs/G5/.

Usage::

    python -m tools.gate record [--by WHO] PROOF...   # add proofs to .truth/truth.json
    python -m tools.gate status                       # .truth/gate_status.json; exit 1
                                                      # when the gate cannot approve
    python -m tools.gate handoff                      # .truth/handoff.json (in the
                                                      # project's environment)
    python -m tools.gate checkpoint G5.1 STEP...      # .truth/checkpoints/G5.1.md
    python -m tools.gate report                       # .truth/report.html

``truth.json`` lists every proof artifact recorded (id, gate, proof type, file, its
SHA-256, a one-line summary such as ``70 passed, 0 failed, coverage 91%``, pass or fail,
when and by whom). The status counts only the latest artifact of each proof type:
``build_output``, ``lint_output`` and ``test_output`` are required (missing blocks
approval), ``coverage_report`` is optional (failed does not block); any other failed
proof blocks too (type check, contract, migrations, security). A proof file whose
content no longer matches its recorded hash counts as failed. ``record`` and ``status``
need the standard library only, so they run from any interpreter.

``handoff.json`` is the seed's hand-over to the next agent: what was delivered
(endpoints the app serves, tables, migrations, coverage, service bodies left), each
step's exit code, the self-healing log of ``fill``, the API's base URL and
authentication, and what the next agent should know.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tools.contract import contract_file
from tools.operations import operations_in
from tools.services import unfilled_services

GATE = "G5"
TRUTH = Path(".truth/truth.json")
STATUS = Path(".truth/gate_status.json")
COVERAGE = Path(".truth/coverage.json")
HANDOFF = Path(".truth/handoff.json")
REPORT = Path(".truth/report.html")
FILL_LOG = Path(".truth/self_healing_log.json")
BREAKING = Path(
    ".truth/breaking_changes.json"
)  # written by `generate --accept-breaking`
REQUIRED = ("build_output", "lint_output", "test_output")
OPTIONAL = ("coverage_report",)


def read_proof(path: Path) -> dict[str, Any]:
    """The parts of a proof file: command, exit code, timestamp, stdout, stderr."""
    text = path.read_text(encoding="utf-8")
    head, _, rest = text.partition("\n\n=== STDOUT ===\n")
    stdout, _, stderr = rest.partition("\n\n=== STDERR ===\n")
    fields = dict(line.split(": ", 1) for line in head.splitlines() if ": " in line)
    return {
        "command": fields.get("Command", ""),
        "exit_code": int(fields.get("Exit Code", "1")),
        "timestamp": fields.get("Timestamp", ""),
        "stdout": stdout,
        "stderr": stderr.rstrip("\n"),
    }


def proof_type_of(path: Path) -> str:
    """``test_output-1700000000000.txt`` → ``test_output``."""
    return path.stem.rsplit("-", 1)[0]


def summarize(proof_type: str, proof: dict[str, Any]) -> str:
    """One line a person reads at a glance."""
    output = proof["stdout"] + "\n" + proof["stderr"]
    if proof_type in ("test_output", "contract_output"):  # pytest's counts
        counts = {
            word: int(match.group(1))
            if (match := re.search(rf"(\d+) {word}", output))
            else 0
            for word in ("passed", "failed", "error")
        }
        summary = (
            f"{counts['passed']} passed, {counts['failed'] + counts['error']} failed"
        )
        total = re.search(r"^TOTAL\s.*?(\d+(?:\.\d+)?)%\s*$", output, re.MULTILINE)
        return summary + (f", coverage {total.group(1)}%" if total else "")
    if proof_type == "coverage_report" and COVERAGE.is_file():
        totals = json.loads(COVERAGE.read_text(encoding="utf-8")).get("totals", {})
        return f"coverage {totals.get('percent_covered', 0):.1f}%"
    return f"exit code {proof['exit_code']}" + (
        f": {last}" if (last := _last_lines(proof)) else ""
    )


def _last_lines(proof: dict[str, Any]) -> str:
    """The last line each command printed (stdout, else stderr), joined by ``; ``."""
    lines = []
    for block in (proof["stdout"], proof["stderr"]):
        sections = re.split(r"^\$ .*$", block, flags=re.MULTILINE)
        for section in sections:
            said = [
                line.strip()
                for line in section.splitlines()
                if line.strip() and not line.startswith("[exit code")
            ]
            if said:
                lines.append(said[-1])
        if lines:
            break
    return "; ".join(lines)[:200]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_truth() -> dict[str, Any]:
    if TRUTH.is_file():
        truth: dict[str, Any] = json.loads(TRUTH.read_text(encoding="utf-8"))
        return truth
    return {"gate": GATE, "proof_artifacts": []}


def record(paths: Sequence[Path], created_by: str) -> list[dict[str, Any]]:
    """Add each proof to truth.json, once (a proof recorded before is left as it is)."""
    truth = load_truth()
    artifacts: list[dict[str, Any]] = truth.setdefault("proof_artifacts", [])
    known = {artifact["file_path"] for artifact in artifacts}
    added = []
    for path in paths:
        if path.as_posix() in known:
            continue
        proof_type, proof = proof_type_of(path), read_proof(path)
        artifact = {
            "id": path.stem,
            "gate": GATE,
            "proof_type": proof_type,
            "file_path": path.as_posix(),
            "file_hash": sha256(path),
            "content_summary": summarize(proof_type, proof),
            "pass_fail": "pass" if proof["exit_code"] == 0 else "fail",
            "created_at": proof["timestamp"] or datetime.now(UTC).isoformat(),
            "created_by": created_by,
        }
        artifacts.append(artifact)
        added.append(artifact)
    TRUTH.parent.mkdir(parents=True, exist_ok=True)
    TRUTH.write_text(json.dumps(truth, indent=2) + "\n", encoding="utf-8")
    return added


def status() -> dict[str, Any]:
    """The gate's status from the latest artifact of each proof type."""
    latest: dict[str, dict[str, Any]] = {}
    for artifact in load_truth().get("proof_artifacts", []):
        kind = artifact["proof_type"]
        if kind not in latest or _epoch_ms(artifact) > _epoch_ms(latest[kind]):
            latest[kind] = artifact
    blocking, submitted, failed = [], [], []
    for kind, artifact in sorted(latest.items()):
        path = Path(artifact["file_path"])
        tampered = not path.is_file() or sha256(path) != artifact["file_hash"]
        if tampered:
            blocking.append(
                f"{kind}: {path} is missing or changed since it was recorded"
            )
        if artifact["pass_fail"] != "pass" or tampered:
            failed.append(kind)
            if kind not in OPTIONAL and not tampered:
                blocking.append(f"{kind} failed: {artifact['content_summary']}")
        else:
            submitted.append(kind)
    missing = [kind for kind in REQUIRED if kind not in latest]
    blocking += [f"{kind} has no proof yet" for kind in missing]
    return {
        "gate": GATE,
        "required": list(REQUIRED),
        "optional": list(OPTIONAL),
        "submitted": submitted,
        "missing": missing,
        "failed": failed,
        "latest": {kind: artifact["id"] for kind, artifact in sorted(latest.items())},
        "can_approve": not blocking,
        "blocking_issues": blocking,
        "checked_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def handoff() -> dict[str, Any]:
    """The hand-over, counted from the project itself (the app's routes, the models'
    tables, the migration files, the service modules)."""
    import yaml  # the project's dependencies: handoff runs in its environment

    from src.main import create_app
    from src.models import Base

    served = create_app().openapi()
    endpoints = sorted(
        f"{method} {path}"
        for path, item in served.get("paths", {}).items()
        for method, _ in operations_in(item)
    )
    contract = yaml.safe_load(contract_file().read_text(encoding="utf-8"))
    servers = contract.get("servers") or [{"url": "/"}]
    schemes = contract.get("components", {}).get("securitySchemes", {})
    report = status()
    coverage = None
    if COVERAGE.is_file():
        totals = json.loads(COVERAGE.read_text(encoding="utf-8")).get("totals", {})
        coverage = round(float(totals.get("percent_covered", 0)), 1)
    latest = {
        artifact["proof_type"]: artifact
        for artifact in sorted(load_truth()["proof_artifacts"], key=_epoch_ms)
    }
    unfilled = unfilled_services()
    log = json.loads(FILL_LOG.read_text(encoding="utf-8")) if FILL_LOG.is_file() else []
    breaking = (
        json.loads(BREAKING.read_text(encoding="utf-8")) if BREAKING.is_file() else []
    )
    ready = report["can_approve"] and not unfilled
    return {
        "handoff": {
            "from_agent": "backend-developer",
            "gate": GATE,
            "status": "ready" if ready else "blocked",
            "created_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        },
        "deliverables": {
            "endpoints": len(endpoints),
            "endpoint_list": endpoints,
            "tables": len([t for t in Base.metadata.tables if t != "alembic_version"]),
            "migrations": len(sorted(Path("alembic/versions").glob("[0-9]*.py"))),
            "coverage_percent": coverage,
            "service_bodies_unfilled": unfilled,
        },
        "verification": {
            kind: {
                "exit_code": read_proof(Path(artifact["file_path"]))["exit_code"]
                if Path(artifact["file_path"]).is_file()
                else None,
                "summary": artifact["content_summary"],
                "proof": artifact["file_path"],
            }
            for kind, artifact in sorted(latest.items())
        },
        "gate_status": {
            "can_approve": report["can_approve"],
            "blocking_issues": report["blocking_issues"],
        },
        "self_healing_log": log,
        "breaking_changes": breaking,
        "api": {
            "base_url": servers[0].get("url", "/"),
            "openapi": f"{contract_file().as_posix()} (served at /openapi.json)",
            "auth": {
                name: " ".join(
                    str(scheme.get(key))
                    for key in ("type", "scheme", "bearerFormat", "in", "name")
                    if scheme.get(key)
                )
                for name, scheme in schemes.items()
            },
        },
        "next_agent": {
            "reads": [contract_file().as_posix(), ".truth/handoff.json", "README.md"],
            "must_know": report["blocking_issues"]
            + [f"service body not written: {name}" for name in unfilled]
            + [f"breaking API change: {c['where']}: {c['what']}" for c in breaking],
        },
    }


CHECKPOINTS: dict[str, tuple[str, list[str], list[str]]] = {
    # name: (what it covers, the files it is about, the design decisions it stands on)
    "G5.1": (
        "Schema, config and types",
        ["specs/schemas", "specs/validation.py", "src/core/config.py"],
        [
            "Pydantic v2 models generated from specs/openapi.yaml; never edited by hand.",
            "Settings from the environment (pydantic-settings); JWT_SECRET required "
            "outside development.",
            "mypy --strict over src/, specs/ and tools/.",
        ],
    ),
    "G5.2": (
        "Database and services",
        ["src/models", "alembic/versions", "src/services", "src/core/database.py"],
        [
            "SQLAlchemy 2 models generated from specs/database-schema.json.",
            "Alembic revisions written from contract changes; alembic check guards drift.",
            "One transaction per request; services only flush.",
        ],
    ),
    "G5.3": (
        "Modules",
        ["src", "pyproject.toml"],
        [
            "Thin routers in src/api/v1/, thick services in src/services/.",
            "Generated files carry a do-not-edit header; services are the user's.",
        ],
    ),
    "G5.4": (
        "Routes and middleware",
        [
            "src/api",
            "src/main.py",
            "src/core/security.py",
            "src/core/errors.py",
            "src/core/rate_limit.py",
        ],
        [
            "Every route serves the contract exactly (tools/contract_fidelity.py).",
            "Security per the contract's schemes and x-roles: 401 anonymous, 403 wrong role.",
            "Errors in the contract's documented shape; 429 where the contract documents it.",
        ],
    ),
    "G5.5": (
        "Polish",
        ["README.md", "docs", "tests"],
        [
            "Docs (ER diagram, operations map) regenerated with the code.",
            "Proofs recorded in .truth/truth.json; the handoff in .truth/handoff.json.",
        ],
    ),
}


def checkpoint_report(name: str, steps: Sequence[str]) -> str:
    """The checkpoint's report: Built, Key decisions, Files, Test it, options A-D."""
    title, paths, decisions = CHECKPOINTS[name]
    latest = {
        artifact["proof_type"]: artifact
        for artifact in sorted(load_truth()["proof_artifacts"], key=_epoch_ms)
    }
    proofs = [latest[step] for step in steps if step in latest]
    passed = len(proofs) == len(steps) and all(p["pass_fail"] == "pass" for p in proofs)
    files = sorted(
        str(path)
        for root in map(Path, paths)
        for path in ([root] if root.is_file() else sorted(root.rglob("*.py")))
        if "__pycache__" not in path.parts
    )
    lines = [
        f"# Checkpoint {name}: {title} — {'PASS' if passed else 'FAIL'}",
        "",
        "## Built",
        *(
            f"- `{p['proof_type']}`: {p['pass_fail']} — {p['content_summary']} "
            f"({p['file_path']})"
            for p in proofs
        ),
        "",
        "## Key decisions",
        *(f"- {decision}" for decision in decisions),
        "",
        f"## Files ({len(files)})",
        *(f"- `{file}`" for file in files[:60]),
        *([f"- … and {len(files) - 60} more"] if len(files) > 60 else []),
        "",
        "## Test it",
        "```bash",
        f"nox -s checkpoint -- {name}",
        "nox -s verify        # every step, the gate's status and the handoff",
        "uvicorn src.main:app  # then open http://127.0.0.1:8000/docs",
        "```",
        "",
        "## Options",
        f"- A. Approve {name} and go on to the next checkpoint.",
        "- B. Ask for changes: the failed proofs above say where.",
        "- C. Look closer first: read the proof files, then decide.",
        "- D. Stop and escalate (a contract change, a decision for a person).",
        "",
    ]
    return "\n".join(lines)


STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 72rem;
       padding: 0 1rem; color: #1f2328; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1.5rem; }
th, td { text-align: left; padding: .3rem .6rem; border-bottom: 1px solid #d0d7de; }
.pass { color: #1a7f37; font-weight: 600; } .fail { color: #cf222e; font-weight: 600; }
pre { background: #f6f8fa; padding: .8rem; overflow-x: auto; font-size: 13px; }
.bar { background: #d0d7de; height: .6rem; width: 10rem; display: inline-block; }
.bar span { background: #1a7f37; height: 100%; display: block; }
"""


def html_report() -> str:
    """One self-contained page: the gate's status, each step's latest proof, coverage by
    module and the security checks."""
    from html import escape

    report = status()
    latest = {
        artifact["proof_type"]: artifact
        for artifact in sorted(load_truth()["proof_artifacts"], key=_epoch_ms)
    }
    verdict = "can approve" if report["can_approve"] else "cannot approve"
    mark = "pass" if report["can_approve"] else "fail"
    parts = [
        "<!doctype html><html lang=en><head><meta charset=utf-8>",
        f"<title>Gate {GATE}: {verdict}</title><style>{STYLE}</style></head><body>",
        f"<h1>Gate {GATE}: <span class={mark}>{verdict}</span></h1>",
        f"<p>Checked {escape(report['checked_at'])}.</p>",
    ]
    if report["blocking_issues"]:
        items = "".join(f"<li>{escape(i)}</li>" for i in report["blocking_issues"])
        parts.append(f"<h2>Blocking</h2><ul>{items}</ul>")
    rows = "".join(
        f"<tr><td>{escape(kind)}</td><td class={a['pass_fail']}>{a['pass_fail']}</td>"
        f"<td>{escape(a['content_summary'])}</td>"
        f"<td><a href='{escape(_relative(a['file_path']))}'>{escape(a['id'])}</a></td></tr>"
        for kind, a in latest.items()
    )
    parts.append(
        "<h2>Steps</h2><table><tr><th>Step</th><th>Result</th><th>Summary</th>"
        f"<th>Proof</th></tr>{rows}</table>"
    )
    if (
        "security_output" in latest
        and Path(latest["security_output"]["file_path"]).is_file()
    ):
        proof = read_proof(Path(latest["security_output"]["file_path"]))
        checks = re.findall(
            r"^(PASS|FAIL) ([\w-]+): (.*)$", proof["stdout"], re.MULTILINE
        )
        rows = "".join(
            f"<tr><td>{escape(name)}</td><td class={result.lower()}>{result}</td>"
            f"<td>{escape(detail)}</td></tr>"
            for result, name, detail in checks
        )
        parts.append(
            "<h2>Security checks</h2><table><tr><th>Check</th><th>Result</th>"
            f"<th>Detail</th></tr>{rows}</table>"
        )
    if "contract_output" in latest:
        parts.append(_contract_failures(Path(latest["contract_output"]["file_path"])))
    if COVERAGE.is_file():
        files = json.loads(COVERAGE.read_text(encoding="utf-8")).get("files", {})
        rows = "".join(
            f"<tr><td>{escape(name)}</td><td>{summary['num_statements']}</td>"
            f"<td>{summary['missing_lines']}</td><td>{summary['percent_covered']:.0f}%"
            f" <span class=bar><span style='width:{summary['percent_covered']:.0f}%'>"
            "</span></span></td></tr>"
            for name, summary in sorted(
                ((n, f["summary"]) for n, f in files.items()),
                key=lambda item: item[1]["percent_covered"],
            )
        )
        parts.append(
            "<h2>Coverage by module</h2><table><tr><th>Module</th><th>Statements</th>"
            f"<th>Missed</th><th>Covered</th></tr>{rows}</table>"
        )
    parts.append("<h2>Proofs</h2>")
    for kind, artifact in latest.items():
        path = Path(artifact["file_path"])
        text = path.read_text(encoding="utf-8") if path.is_file() else "(missing)"
        parts.append(
            f"<details><summary>{escape(kind)} — {artifact['pass_fail']}</summary>"
            f"<pre>{escape(text)}</pre></details>"
        )
    parts.append("</body></html>\n")
    return "\n".join(parts)


def contract_failures(proof: str) -> list[tuple[str, list[str], list[str]]]:
    """The contract test's failures in its proof: (operation, what failed, the requests
    that show it, as curl commands), one entry per failing operation."""
    found = []
    blocks = re.split(r"^_{3,} test_\w+\[(.+?)\] _{3,}$", proof, flags=re.MULTILINE)
    for operation, block in zip(blocks[1::2], blocks[2::2], strict=True):
        failures = re.findall(r"^[\s|]*- (ST\d+ .+)$", block, re.MULTILINE)
        requests = re.findall(r"^[\s|]*(curl .+)$", block, re.MULTILINE)
        found.append(
            (operation, list(dict.fromkeys(failures)), list(dict.fromkeys(requests)))
        )
    return found


def _contract_failures(path: Path) -> str:
    from html import escape

    failures = contract_failures(read_proof(path)["stdout"]) if path.is_file() else []
    if not failures:
        return "<h2>Contract test</h2><p>No failure.</p>"
    rows = "".join(
        f"<tr><td>{escape(operation)}</td><td>{'<br>'.join(map(escape, what))}</td>"
        f"<td><code>{'<br>'.join(map(escape, requests))}</code></td></tr>"
        for operation, what, requests in failures
    )
    return (
        "<h2>Contract test failures</h2><table><tr><th>Operation</th><th>Failed</th>"
        f"<th>Request</th></tr>{rows}</table>"
    )


def _relative(file_path: str) -> str:
    """A proof's path as seen from .truth/report.html."""
    path = Path(file_path)
    return (
        path.relative_to(".truth").as_posix()
        if path.is_relative_to(".truth")
        else file_path
    )


def _epoch_ms(artifact: dict[str, Any]) -> int:
    """When the proof was written: the number in its name (``<type>-<epoch ms>``)."""
    return int(str(artifact["id"]).rsplit("-", 1)[-1])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.gate", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    recording = commands.add_parser("record", help="add proof files to truth.json")
    recording.add_argument("proofs", nargs="+", type=Path)
    recording.add_argument(
        "--by", default="tools.gate", help="created_by of the artifacts"
    )
    commands.add_parser("status", help="write and print the gate's status")
    commands.add_parser("handoff", help="write the hand-over to the next agent")
    commands.add_parser("report", help="write the HTML report")
    checkpoint = commands.add_parser("checkpoint", help="write a checkpoint's report")
    checkpoint.add_argument("name", choices=sorted(CHECKPOINTS))
    checkpoint.add_argument("steps", nargs="+")
    args = parser.parse_args(argv)
    if args.command == "report":
        REPORT.parent.mkdir(parents=True, exist_ok=True)
        REPORT.write_text(html_report(), encoding="utf-8")
        print(f"report: {REPORT}")
        return 0
    if args.command == "checkpoint":
        written = Path(f".truth/checkpoints/{args.name}.md")
        written.parent.mkdir(parents=True, exist_ok=True)
        written.write_text(checkpoint_report(args.name, args.steps), encoding="utf-8")
        print(f"checkpoint {args.name}: {written}")
        return 0
    if args.command == "handoff":
        document = handoff()
        HANDOFF.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
        print(f"handoff: {document['handoff']['status']} ({HANDOFF})")
        return 0
    if args.command == "record":
        for artifact in record(args.proofs, args.by):
            print(
                f"{artifact['proof_type']:<18} {artifact['pass_fail']:<5} "
                f"{artifact['content_summary']}"
            )
        return 0
    report = status()
    STATUS.parent.mkdir(parents=True, exist_ok=True)
    STATUS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    verdict = "can approve" if report["can_approve"] else "cannot approve"
    print(f"gate {GATE}: {verdict} ({STATUS})")
    for issue in report["blocking_issues"]:
        print(f"  - {issue}")
    return 0 if report["can_approve"] else 1


if __name__ == "__main__":
    sys.exit(main())
