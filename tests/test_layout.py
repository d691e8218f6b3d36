"""The layout keeps its promises (docs/architecture.md): lower layers never import upper
ones, measuring code stays out of the serving path, channels go through the one turn
handler, and each shared concept has one definition."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ASSISTANT = ROOT / "assistant"
RETRIEVAL = ROOT / "retrieval"

#: the measuring and training code, and the command that registers it
NOT_SERVING = ("assistant/evals/", "assistant/intent/train.py", "assistant/intent/data/", "assistant/__main__.py")
#: serving modules this much longer than the ~600-line goal fail the test
MAX_SERVING_LINES = 650


def modules(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def serving_modules() -> list[Path]:
    return [p for p in modules(ASSISTANT) if not rel(p).startswith(NOT_SERVING)]


def imported(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = rel(path).removesuffix(".py").replace("/", ".").removesuffix(".__init__").split(".")
    if not path.name == "__init__.py":
        package = package[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, node.module] if node.module else base)
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def test_retrieval_is_a_library_that_knows_nothing_of_the_assistant():
    offenders = {rel(p): sorted(m for m in imported(p) if m.split(".")[0] == "assistant") for p in modules(RETRIEVAL)}
    assert not {k: v for k, v in offenders.items() if v}


def test_the_serving_path_never_imports_measuring_or_training_code():
    banned = ("assistant.evals", "assistant.intent.train", "assistant.intent.data")
    offenders = {rel(p): sorted(m for m in imported(p) if m.startswith(banned)) for p in serving_modules()}
    assert not {k: v for k, v in offenders.items() if v}
    search_path = [p for p in modules(RETRIEVAL) if "bench" not in p.parts]
    offenders = {rel(p): sorted(m for m in imported(p) if m.startswith("retrieval.bench")) for p in search_path}
    assert not {k: v for k, v in offenders.items() if v}


def test_prompts_are_data_that_import_no_stage():
    for path in modules(ROOT / "prompts"):
        assert not {m for m in imported(path) if m.split(".")[0] in ("assistant", "retrieval")}, rel(path)


def test_no_serving_module_is_a_subsystem_in_one_file():
    sizes = {rel(p): len(p.read_text(encoding="utf-8").splitlines()) for p in serving_modules() + modules(RETRIEVAL)}
    assert {k: v for k, v in sizes.items() if v > MAX_SERVING_LINES} == {}


def test_the_top_level_reads_as_the_pipeline():
    entries = {p.name for p in ASSISTANT.iterdir() if not p.name.startswith(("_", ".")) or p.name in ("__init__.py", "__main__.py")}
    stages = {"voice", "intent", "dialogue.py", "answer", "channels", "pipeline.py", "records", "evals", "demo"}
    assert stages <= entries
    # no prefixes standing in for sub-packages
    assert not [name for name in entries if re.match(r"(intent|llm|asr|voice)_", name)]


def test_channels_answer_through_the_one_turn_handler():
    """Only pipeline.handle numbers, records and guards turns: no channel calls the stages itself."""
    for path in modules(ASSISTANT / "channels"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\brun_(voice_)?turn\b", text), rel(path)
        assert "except Exception" not in text, f"{rel(path)}: bugs are pipeline.handle's to answer"


def test_one_percentile_definition():
    definitions = [rel(p) for p in modules(ASSISTANT) + modules(RETRIEVAL) if re.search(r"^def percentile\(", p.read_text(), re.M)]
    assert definitions == ["retrieval/bench/stats.py"]


def test_the_percentile_interpolates_between_ranks():
    from retrieval.bench.stats import percentile

    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile(list(range(1, 21)), 95) == pytest.approx(19.05)
    assert percentile([7.0], 95) == 7.0
    assert percentile([], 50) != percentile([], 50)  # NaN


def test_every_deliberate_error_has_one_of_the_two_bases():
    from assistant.errors import AssistantError
    from retrieval.errors import RetrievalError

    classes = []
    for path in modules(ASSISTANT) + modules(RETRIEVAL):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                isinstance(b, ast.Name) and (b.id.endswith(("Error", "Exception")) or b.id in ("LookupError",)) for b in node.bases
            ):
                classes.append((rel(path), node.name))
    assert classes  # the scan sees them
    import assistant.errors
    import retrieval.errors

    for path, name in classes:
        module = assistant.errors if path.startswith("assistant") else retrieval.errors
        cls = getattr(module, name, None)
        assert cls is not None, f"{path}: {name} is defined outside errors.py"
        assert issubclass(cls, (AssistantError, RetrievalError)), name


def test_slot_names_have_one_source():
    from assistant.intent.format import SLOT_KEYS
    from assistant.intent.ground import COMPLETABLE
    from assistant.types import CONSTRAINT_SLOTS, SLOT_NAMES, Slots

    assert SLOT_NAMES == tuple(Slots.model_fields)
    assert tuple(SLOT_KEYS) == SLOT_NAMES
    assert set(COMPLETABLE) < set(SLOT_NAMES) and set(CONSTRAINT_SLOTS) < set(SLOT_NAMES)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = readme.split("Canonical slot names:", 1)[1].split("`products` holds", 1)[0]
    names = [n for n in re.findall(r"`([a-z_]+)`", documented) if n not in ("price_asc", "price_desc", "rating_desc")]
    assert sorted(names) == sorted(SLOT_NAMES)


def test_intent_names_have_one_source():
    from assistant.intent.format import INTENT_CODES
    from assistant.types import INTENTS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = readme.split("\nIntents: ", 1)[1].split(".\n", 1)[0]
    assert re.findall(r"`([a-z_]+)`", documented) == list(INTENTS)
    assert set(INTENT_CODES) == set(INTENTS)


def test_the_shipped_adapter_was_trained_on_the_prompt_format_the_code_writes():
    """Editing the prompt format without retraining fails here instead of degrading parses silently."""
    from assistant.intent.format import format_fingerprint
    from assistant.intent.llm import ADAPTER_DIR, check_format

    meta = json.loads((ADAPTER_DIR / "training.json").read_text(encoding="utf-8"))
    assert meta["format_fingerprint"] == format_fingerprint()
    assert check_format(ADAPTER_DIR)


def test_a_changed_format_is_reported(tmp_path, caplog):
    from assistant.intent.llm import check_format

    (tmp_path / "training.json").write_text(json.dumps({"format_fingerprint": "0" * 16}))
    assert not check_format(tmp_path)
    assert "retrain" in caplog.text


def test_settings_are_read_only_by_settings():
    """One reader of SHOPASSIST_* (tests and the CLI's documentation aside); the settings
    module alone writes one, for the worker processes it hands a setting to."""
    access = re.compile(r"environ(?:\.get)?\[?\(?[\"']SHOPASSIST_\w+[\"']\]?\)?(\s*=(?!=))?")
    readers, writers = [], []
    for path in modules(ASSISTANT) + modules(RETRIEVAL):
        for match in access.finditer(path.read_text()):
            (writers if match.group(1) else readers).append(rel(path))
    assert readers == []
    assert set(writers) <= {"assistant/settings.py"}


def test_the_public_api_resolves_and_importing_it_loads_no_model():
    import subprocess
    import sys

    code = (
        "import sys, assistant\n"
        "names = [getattr(assistant, n) for n in assistant.__all__]\n"
        "print(sorted(m for m in ('torch', 'transformers', 'faster_whisper', 'gradio', 'chromadb') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout.strip()
    assert "torch" not in out and "transformers" not in out and "faster_whisper" not in out and "gradio" not in out


def test_the_wheel_ships_every_data_file_the_serving_path_reads(tmp_path):
    """Package data follows the sub-packages: the adapter, templates, lexicon, static files and demo data."""
    import shutil
    import subprocess
    import sys
    import zipfile

    source = tmp_path / "src"
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    for name in tracked:
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", str(source), "-w", str(tmp_path / "wheel")],
        check=True,
        capture_output=True,
    )
    names = set(zipfile.ZipFile(next((tmp_path / "wheel").glob("*.whl"))).namelist())
    for needed in (
        "assistant/intent/adapter/adapter_model.safetensors",
        "assistant/intent/adapter/training.json",
        "assistant/intent/rules/lexicon.yaml",
        "assistant/channels/static/widget.js",
        "assistant/channels/static/support.html",
        "assistant/intent/data/dev.jsonl",
        "assistant/demo/catalog.jsonl",
        "assistant/demo/orders.json",
        "assistant/demo/policies/returns.md",
        "assistant/demo/images/shoes.svg",
        "prompts/answers.yaml",
    ):
        assert needed in names, needed
    assert not [n for n in names if n.startswith(("tools/", "tests/"))]


#: the serving path's layers, lowest first: a module imports only from its own layer's package or lower layers
LAYERS = (
    ("retrieval", "prompts"),
    ("assistant.types", "assistant.errors", "assistant.settings"),
    ("assistant.voice", "assistant.intent", "assistant.records"),
    ("assistant.dialogue",),
    ("assistant.answer",),
    ("assistant.reading",),
    ("assistant.app",),
    ("assistant.pipeline",),
    ("assistant.channels",),
)


def _layer(module: str) -> tuple[int, str] | None:
    for rank, packages in enumerate(LAYERS):
        for package in packages:
            if module == package or module.startswith(package + "."):
                return rank, package
    return None


def test_stages_import_only_downwards():
    offenders = []
    for path in serving_modules():
        name = rel(path).removesuffix(".py").replace("/", ".").removesuffix(".__init__")
        own = _layer(name)
        if own is None:
            continue
        for module in imported(path):
            other = _layer(module)
            if other is not None and other[1] != own[1] and other[0] >= own[0]:
                offenders.append(f"{name} -> {module}")
    assert offenders == []
