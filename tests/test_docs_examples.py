"""Every Python example in README.md and docs/*.md runs here, so the docs cannot drift from code.

The convention, for whoever writes docs:

- Every fenced ```` ```python ```` block is run; each block stands alone (its own imports).
- A block containing ``def test_`` is a test file: it is written into a fresh directory and run
  by pytest with this plugin (and ``--strict-markers``); it must pass, with at least one test run.
  If it calls ``assert_snapshot``, it is run with ``--glue-snapshot-update`` first, then to compare
  (likewise with syrupy's ``--snapshot-update`` if it compares ``== snapshot``).
- Any other block is executed with an active fake bound to the name ``glue_jobs``, as if inside a
  test that asked for the fixture; a block that activates its own (``mock_glue_jobs``, moto's
  ``mock_aws``) is executed as plain code.
- An HTML comment on the line just before the opening fence changes that:
  ``<!-- not-run -->`` skips the block (keep this rare: fragments that cannot run on their own, such
  as a signature), and ``<!-- expect-failure -->`` asserts that the block's tests fail (for examples
  that show a failure message).
- ``<!-- third-party: moto -->`` (or ``botocore``) marks a block whose assertions describe another
  project's behaviour. The suite does not run it: a moto or botocore release must not turn a user's
  test run red. The documentation-drift check runs it (``pytest tests/test_docs_examples.py
  --docs-drift``, a step of its own in CI) and names the page and the installed version when the
  behaviour it describes has changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pytest

from pytest_gluejobs import mock_glue_jobs

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

_FENCE = re.compile(r"^(\s*)```(\S*)\s*$")
_DIRECTIVE = re.compile(r"^\s*<!--\s*(not-run|expect-failure|third-party:\s*[\w-]+)\s*-->\s*$")
_OWN_MOCK = re.compile(r"\b(mock_glue_jobs|mock_aws)\b")
#: What in a test file means it needs its snapshot files written first: ours, and syrupy's.
_SNAPSHOT_UPDATES = (
    ("assert_snapshot", "--glue-snapshot-update"),
    ("== snapshot", "--snapshot-update"),
)


@dataclass(frozen=True)
class Block:
    path: Path
    line: int  # 1-based line of the first code line
    code: str
    directive: str | None

    @property
    def id(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"

    @property
    def is_test_file(self) -> bool:
        return "def test_" in self.code

    @property
    def third_party(self) -> str | None:
        """The project whose behaviour the block describes, if it is marked as describing one."""
        if self.directive is None or not self.directive.startswith("third-party:"):
            return None
        return self.directive.partition(":")[2].strip()


def python_blocks(path: Path) -> list[Block]:
    """The fenced python blocks of a Markdown file, with the directive just before each."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks = []
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if opening is None:
            index += 1
            continue
        indent, language = opening.groups()
        end = index + 1
        while end < len(lines) and not lines[end].strip().startswith("```"):
            end += 1
        if language == "python":
            previous = lines[index - 1] if index else ""
            directive = _DIRECTIVE.match(previous)
            body = [line[len(indent) :] for line in lines[index + 1 : end]]
            blocks.append(
                Block(
                    path,
                    index + 2,
                    "\n".join(body) + "\n",
                    directive and re.sub(r":\s*", ": ", directive.group(1)),
                )
            )
        index = end + 1
    return blocks


ALL_BLOCKS = [block for page in PAGES for block in python_blocks(page)]
BLOCKS = [block for block in ALL_BLOCKS if block.third_party is None]
THIRD_PARTY_BLOCKS = [block for block in ALL_BLOCKS if block.third_party is not None]


def test_the_readme_and_docs_have_examples():
    assert any(block.path.name == "README.md" for block in BLOCKS)
    assert len({block.path for block in BLOCKS}) > 1, "no python example found under docs/"


@pytest.mark.parametrize("block", BLOCKS, ids=[block.id for block in BLOCKS])
def test_example_runs(block: Block, pytester: pytest.Pytester) -> None:
    if block.directive == "not-run":
        pytest.skip("marked <!-- not-run -->")
    if block.is_test_file:
        run_as_test_file(block, pytester)
    elif block.directive == "expect-failure":
        with pytest.raises(Exception):  # noqa: B017 - the page shows some failure; any will do
            execute(block)
    else:
        execute(block)


@pytest.mark.parametrize("block", THIRD_PARTY_BLOCKS, ids=[b.id for b in THIRD_PARTY_BLOCKS])
def test_third_party_behaviour_is_as_described(
    block: Block, pytester: pytest.Pytester, request: pytest.FixtureRequest
) -> None:
    if not request.config.getoption("docs_drift"):
        pytest.skip(
            f"describes {block.third_party}'s behaviour, not this plugin's: checked by the "
            "documentation-drift check (pytest tests/test_docs_examples.py --docs-drift)"
        )
    check_third_party(block, pytester)


def check_third_party(block: Block, pytester: pytest.Pytester) -> None:
    """Run a block that describes another project; a failure names the page and the version."""
    try:
        if block.is_test_file:
            run_as_test_file(block, pytester)
        else:
            execute(block)
    except Exception as error:
        project = block.third_party or ""
        raise AssertionError(
            f"documentation drift: {block.id} describes {project}'s behaviour, and with "
            f"{project} {_installed_version(project)} installed it no longer holds "
            f"({type(error).__name__}: {error}). Check what {project} does now and update the "
            "page (its text and its example)."
        ) from error


def _installed_version(project: str) -> str:
    try:
        return metadata.version(project)
    except metadata.PackageNotFoundError:
        return "(not installed)"


def run_as_test_file(block: Block, pytester: pytest.Pytester) -> None:
    name = "test_" + re.sub(r"\W", "_", block.id.replace(".md", "")).strip("_").lower()
    pytester.makepyfile(**{name: block.code})
    updates = [flag for needle, flag in _SNAPSHOT_UPDATES if needle in block.code]
    if updates and block.directive != "expect-failure":
        pytester.runpytest("--strict-markers", *updates)
    result = pytester.runpytest("--strict-markers")
    outcomes = result.parseoutcomes()
    failed = outcomes.get("failed", 0) + outcomes.get("errors", 0)
    if block.directive == "expect-failure":
        assert failed, f"{block.id} is marked expect-failure, but its tests passed"
    else:
        assert failed == 0 and outcomes.get("passed", 0) > 0, (
            f"the example at {block.id} did not pass:\n{result.stdout.str()}"
        )


def execute(block: Block) -> None:
    # Padding keeps the Markdown file's line numbers in tracebacks.
    code = compile("\n" * (block.line - 1) + block.code, str(block.path), "exec")
    namespace: dict[str, object] = {"__name__": "__docs_example__"}
    if _OWN_MOCK.search(block.code):
        exec(code, namespace)
    else:
        with mock_glue_jobs() as fake:
            namespace["glue_jobs"] = fake
            exec(code, namespace)


def test_the_extractor_reads_directives_and_indented_fences(tmp_path: Path):
    page = tmp_path / "page.md"
    page.write_text(
        "text\n```python\nx = 1\n```\n<!-- not-run -->\n```python\ndef f(): ...\n```\n"
        "- item\n\n  ```python\n  y = 2\n  ```\n```bash\necho no\n```\n",
        encoding="utf-8",
    )
    blocks = python_blocks(page)
    assert [(b.line, b.code, b.directive) for b in blocks] == [
        (3, "x = 1\n", None),
        (7, "def f(): ...\n", "not-run"),
        (12, "y = 2\n", None),
    ]
    page.write_text("<!--  third-party:moto -->\n```python\nz = 3\n```\n", encoding="utf-8")
    (block,) = python_blocks(page)
    assert (block.directive, block.third_party) == ("third-party: moto", "moto")


# -- links --------------------------------------------------------------------------------------

LINKED_PAGES = [*PAGES, ROOT / "CHANGELOG.md", ROOT / "examples" / "README.md"]
_LINK = re.compile(r"\]\(([^)\s]+)\)")
_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*$", re.MULTILINE)


def anchors(page: Path) -> set[str]:
    """GitHub's anchors for a Markdown page's headings."""
    return {
        re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        for heading in _HEADING.findall(page.read_text(encoding="utf-8"))
    }


@pytest.mark.parametrize("page", LINKED_PAGES, ids=[str(p.relative_to(ROOT)) for p in LINKED_PAGES])
def test_relative_links_lead_somewhere(page: Path):
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.DOTALL)
    broken = []
    for target in _LINK.findall(text):
        if re.match(r"[a-z]+:", target):
            continue  # an absolute URL: not checked offline
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        if not linked.exists():
            broken.append(f"{target}: no such file")
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
            broken.append(f"{target}: no heading with that anchor in {linked.name}")
    assert not broken, f"broken links in {page.relative_to(ROOT)}:\n" + "\n".join(broken)


# -- the API reference covers the API -------------------------------------------------------------

# Public by name but plumbing between the plugin and the fake, not for users.
_UNDOCUMENTED = {"snapshot_context"}


def test_the_api_reference_names_every_public_member():
    import pytest_gluejobs
    from pytest_gluejobs import Call, Fault, GlueJobsFake

    reference = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    public = {
        *pytest_gluejobs.__all__,
        *(name for name in dir(GlueJobsFake) if not name.startswith("_")),
        *(name for name in Call.__slots__ if not name.startswith("_")),
        "response",
        *(name for name in vars(Fault(operation="GetJob")) if not name.startswith("_")),
        *(name for name in vars(Fault) if not name.startswith("_")),
    }
    missing = sorted(name for name in public - _UNDOCUMENTED if f"`{name}" not in reference)
    assert not missing, f"docs/api.md does not mention: {', '.join(missing)}"


# -- the harness itself can fail ------------------------------------------------------------------


def synthetic(code: str, directive: str | None = None) -> Block:
    return Block(ROOT / "docs" / "synthetic.md", 1, code, directive)


FAILING_TEST = "def test_x(glue_jobs):\n    assert glue_jobs.jobs == {'x': 1}\n"
PASSING_TEST = "def test_x(glue_jobs):\n    assert glue_jobs.jobs == {}\n"


def test_a_failing_test_block_fails(pytester: pytest.Pytester):
    with pytest.raises(AssertionError, match="did not pass"):
        run_as_test_file(synthetic(FAILING_TEST), pytester)


def test_an_expect_failure_test_block_that_passes_fails(pytester: pytest.Pytester):
    with pytest.raises(AssertionError, match="its tests passed"):
        run_as_test_file(synthetic(PASSING_TEST, "expect-failure"), pytester)
    run_as_test_file(synthetic(FAILING_TEST, "expect-failure"), pytester)


def test_a_plain_block_runs_with_an_active_fake_named_glue_jobs():
    execute(
        synthetic(
            "import boto3\nboto3.client('glue').create_job(Name='x', Role='R', "
            "Command={'Name': 'glueetl', 'ScriptLocation': 's3://b/x.py'})\n"
            "assert list(glue_jobs.jobs) == ['x']\n"
        )
    )
    with pytest.raises(AssertionError):
        execute(synthetic("assert glue_jobs.jobs\n"))


def test_drift_in_a_third_partys_behaviour_names_the_page_and_the_version(
    pytester: pytest.Pytester,
):
    drifted = synthetic("assert False, 'moto changed'\n", "third-party: moto")
    with pytest.raises(AssertionError) as failure:
        check_third_party(drifted, pytester)
    message = str(failure.value)
    assert message.startswith("documentation drift: docs/synthetic.md:1 describes moto's")
    assert f"moto {metadata.version('moto')} installed" in message
    check_third_party(synthetic("assert True\n", "third-party: moto"), pytester)
