"""Work done beside the caller (``generators.aside``): the schemas module and
openapi-spec-validator's checks run in forked children while generation goes on (issue 18).

The generation tests run the CLI in a new process, as a user does (one thread: it forks),
and again with ``SPECFOUNDRY_SERIAL`` set; the other tests of the suite that generate in
their own process fork too (pytest-xdist's workers run one thread).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from generators import aside
from generators.aside import Aside, Warm
from tests.helpers import ROOT

ENUM_DEFAULTS = """\
openapi: 3.0.3
info: {title: Sorted, version: "1"}
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - {name: order, in: query, schema: {$ref: '#/components/schemas/SortOrder'}}
        - {name: kind, in: query, schema: {type: string, enum: [big, small], default: small}}
        - {name: limit, in: query, schema: {type: integer, default: 20}}
      responses:
        "200":
          description: the things
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Thing'}}
components:
  schemas:
    SortOrder: {type: string, enum: [asc, desc], default: desc}
    Thing:
      type: object
      required: [name]
      properties:
        name: {type: string, maxLength: 20}
        order: {$ref: '#/components/schemas/SortOrder'}
"""


@pytest.fixture
def forking(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(aside, "forks", lambda: True)


def test_work_beside_gives_its_value_from_another_process(forking: None) -> None:
    work = Aside(lambda: {"pid": os.getpid(), "value": [1, "two"]})
    result = work.result()
    assert result["value"] == [1, "two"]
    assert result["pid"] != os.getpid()
    assert work.result() is result  # joined once


def test_work_whose_result_is_asked_for_last_runs_at_a_lower_priority(forking: None) -> None:
    """openapi-spec-validator's check is joined once the project is rendered: where the
    cores are busy, the schemas module (waited for first) goes before it."""
    ours = os.nice(0)
    assert Aside(lambda: os.nice(0)).result() == ours
    assert Aside(lambda: os.nice(0), last=True).result() == min(ours + aside.LAST_NICENESS, 19)


def test_the_schemas_module_is_begun_before_the_database_contract_is_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """It needs only the API's IR: begun as soon as that is built, it runs beside the
    database contract's reading and checks."""
    from generators.loading import project
    from tests.helpers import EXAMPLE_API, EXAMPLE_DB

    seen: list[str] = []
    read = project.read_database
    monkeypatch.setattr(project, "read_database", lambda path: seen.append("db") or read(path))
    loading = project.start_loading(
        EXAMPLE_API, EXAMPLE_DB, begin=lambda api: seen.append(api.title)
    )
    assert seen == [loading.project.api.title, "db"]


def test_an_exception_beside_is_raised_here_with_the_childs_traceback(forking: None) -> None:
    def fails() -> None:
        raise ValueError("no such schema")

    work = Aside(fails)
    with pytest.raises(ValueError, match="no such schema") as raised:
        work.result()
    notes = "\n".join(getattr(raised.value, "__notes__", []))
    assert "In the child process working beside" in notes
    assert "in fails" in notes


def test_a_child_that_dies_is_an_error_that_says_so(forking: None) -> None:
    work = Aside(lambda: os._exit(3))
    with pytest.raises(RuntimeError, match=r"died \(exit code 3\)"):
        work.result()


def test_a_value_that_does_not_pickle_comes_back_as_an_error(forking: None) -> None:
    work = Aside(lambda: threading.Lock())
    with pytest.raises(RuntimeError, match="pickle"):
        work.result()


def test_work_is_done_in_this_process_where_forking_would_not_help_or_be_safe(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(aside.SERIAL, "1")
    assert not aside.forks()
    work = Aside(os.getpid)
    assert work.result() == os.getpid()
    monkeypatch.delenv(aside.SERIAL)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not aside.forks()  # a threaded process: a fork could deadlock the child
    finally:
        stop.set()
        thread.join()


def _ready_here() -> None:
    os.environ["READIED_IN"] = str(os.getpid())


def _where(argument: str) -> dict[str, str | None]:
    return {"argument": argument, "pid": str(os.getpid()), "readied": os.environ.get("READIED_IN")}


def test_work_handed_to_a_warm_child_is_done_where_it_was_readied(
    forking: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """datamodel-code-generator's imports and first run, done while the contracts load:
    the schemas module is then made in the process that did them."""
    monkeypatch.delenv("READIED_IN", raising=False)
    with Warm(_ready_here, _where) as warm:
        done = warm("components")
    assert done["argument"] == "components"
    assert done["pid"] != str(os.getpid())
    assert done["readied"] == done["pid"]
    assert "READIED_IN" not in os.environ


def test_work_is_handed_to_a_warm_child_from_a_child_forked_after_it(forking: None) -> None:
    """The schemas module's document is prepared beside (an ``Aside``), which hands it on."""
    with Warm(_ready_here, _where) as warm:
        handing = Aside(lambda: (os.getpid(), warm("prepared")))
        hander, done = handing.result()
    assert done["argument"] == "prepared"
    assert done["readied"] == done["pid"] not in (str(hander), str(os.getpid()))


def test_a_warm_childs_error_is_raised_at_the_call(forking: None) -> None:
    def fails(argument: str) -> None:
        raise ValueError(f"no schema {argument}")

    with Warm(_ready_here, fails) as warm, pytest.raises(ValueError, match="no schema X"):
        warm("X")


def test_a_warm_child_nothing_is_handed_to_ends_when_closed(forking: None) -> None:
    """A generation that took the schemas module it wrote last, or stopped at an error in
    the contracts, leaves no process behind."""
    import multiprocessing

    before = set(multiprocessing.active_children())
    warm = Warm(_ready_here, _where)
    (child,) = set(multiprocessing.active_children()) - before
    warm.close()
    child.join(timeout=60)
    assert child.exitcode == 0
    assert warm("then")["pid"] == str(os.getpid())  # closed: done here, if asked after all


def test_work_not_worth_readying_is_done_at_the_call_in_this_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A generation that will most likely take the schemas module it wrote last readies
    nothing; where no child forks, nothing is readied either."""
    monkeypatch.delenv("READIED_IN", raising=False)
    for forks, worth_it in ((True, False), (False, True)):
        monkeypatch.setattr(aside, "forks", lambda forks=forks: forks)
        with Warm(_ready_here, _where, worth_it=worth_it) as warm:
            done = warm("components")
        assert done == {"argument": "components", "pid": str(os.getpid()), "readied": None}


def _generate(folder: Path, contract: str, *, serial: bool) -> subprocess.CompletedProcess[str]:
    folder.mkdir()
    (folder / "openapi.yaml").write_text(contract, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != aside.SERIAL}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    if serial:
        env[aside.SERIAL] = "1"
    argv = [sys.executable, "-m", "generators", "generate", "--openapi", "openapi.yaml"]
    return subprocess.run(
        [*argv, "--out", "out"], cwd=folder, env=env, capture_output=True, text=True, check=False
    )


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.mark.skipif(sys.platform != "linux" or len(os.sched_getaffinity(0)) < 2, reason="forks")
def test_generation_beside_writes_the_same_bytes_as_generation_in_one_process(
    tmp_path: Path,
) -> None:
    """The routers are rendered while the schemas module is made beside, their enum
    defaults marked and named once it is there: ``SortOrder.DESC``, as made in one process."""
    beside = _generate(tmp_path / "beside", ENUM_DEFAULTS, serial=False)
    serial = _generate(tmp_path / "serial", ENUM_DEFAULTS, serial=True)
    assert beside.returncode == serial.returncode == 0, beside.stderr + serial.stderr
    assert (beside.stdout, beside.stderr) == (serial.stdout, serial.stderr)
    files = _files(tmp_path / "beside" / "out")
    assert files == _files(tmp_path / "serial" / "out")
    router = files["src/api/v1/default.py"].decode()
    assert "= SortOrder.DESC," in router and '= "small",' in router and "= 20," in router


def test_an_error_only_the_last_check_finds_stops_generation_and_writes_nothing(
    tmp_path: Path,
) -> None:
    """openapi-spec-validator, run beside building the IR, is the only check that refuses
    a parameter declared twice: the generation stops with its error, at the second
    declaration (the library reports it with no place: ``spec_validator``)."""
    contract = textwrap.dedent("""\
        openapi: 3.0.3
        info: {title: t, version: "1"}
        paths:
          /a:
            get:
              operationId: a
              parameters:
                - {name: q, in: query, schema: {type: integer}}
                - {name: q, in: query, schema: {type: string}}
              responses: {"204": {description: none}}
        """)
    for serial in (False, True):
        folder = tmp_path / f"serial-{serial}"
        result = _generate(folder, contract, serial=serial)
        assert result.returncode == 2, result.stdout + result.stderr
        assert "Duplicate parameter 'q'" in result.stderr
        assert "openapi.yaml:9 /paths/~1a/get/parameters/1:" in result.stderr
        assert not (folder / "out").exists()
