"""Runs the Keras 3 programs that ShapeLab's toKerasPython() wrote and compares each model.summary() with ShapeLab's.

For developers who have Keras 3 at hand; CI has no Keras and does not run it (CI checks the programs' structure
against the fixtures' sources instead, in KerasPythonTest). Steps:

    mvn -B -o test -Dtest=KerasPythonTest          # writes target/keras-python-export/
    KERAS_BACKEND=jax /tmp/kv/bin/python tools/keras-reference/check-keras-python.py

target/keras-python-export/ has two folders, each with <id>.py (toKerasPython()) and <id>.summary.txt (ShapeLab's
summary(), Keras 3 layout):

- fixtures/: the models of src/test/resources/keras-reference/keras3-summaries/. Each program runs in a Python process
  of its own, as a learner would run it, and its summary must equal the committed fixture (real Keras 3's text) and
  ShapeLab's summary, byte for byte.
- corpus/: every TF.js reference model (models.json and the fuzz corpus, Sequential) and 150 seeded random
  functional models (graph_*: several inputs and outputs, merges, shared layers, return_state). These run in this process, each after
  keras.backend.clear_session() (a fresh session's automatic names), and their summaries must equal ShapeLab's.

Options: --fixtures-only, --corpus-only, --match TEXT and --limit N (corpus), --subprocess (corpus too, slow),
--export DIR.
Prints one block per disagreement (a diff) and 'N passed, M failed'; exits non-zero on any failure.
"""
import argparse
import difflib
import io
import os
import pathlib
import subprocess
import sys
import warnings

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ["COLUMNS"] = "80"  # Keras's width without a terminal: min(88, 80 - 4)
os.environ.pop("LINES", None)
warnings.simplefilter("ignore")

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "src" / "test" / "resources" / "keras-reference" / "keras3-summaries"


def summary_in_process(source):
    import keras

    keras.backend.clear_session()
    scope = {}
    exec(compile(source, "<toKerasPython>", "exec"), scope)
    captured = []
    scope["model"].summary(print_fn=lambda text, **kwargs: captured.append(text))
    return "".join(captured)


def summary_in_subprocess(path):
    """Runs the program as it is, with model.summary() appended: what `python program.py` prints."""
    program = pathlib.Path(path).read_text(encoding="utf-8") + "model.summary()\n"
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, encoding="utf-8",
                            env=dict(os.environ))
    if result.returncode != 0:
        raise RuntimeError(result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "failed")
    return result.stdout


def diff(expected, actual, a, b):
    return "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), a, b))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--export", default=str(ROOT / "target" / "keras-python-export"))
    parser.add_argument("--fixtures-only", action="store_true")
    parser.add_argument("--corpus-only", action="store_true")
    parser.add_argument("--subprocess", action="store_true", help="run corpus programs in processes of their own")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--match", default="", help="only corpus programs whose id contains this")
    args = parser.parse_args()
    export = pathlib.Path(args.export)
    if not export.is_dir():
        sys.exit(f"{export} is missing: run `mvn -B -o test -Dtest=KerasPythonTest` first")

    passed = failed = 0

    def report(case, problem):
        nonlocal failed
        failed += 1
        print(f"FAIL {case}: {problem}")

    if not args.corpus_only:
        programs = sorted((export / "fixtures").glob("*.py"))
        if not programs:
            sys.exit(f"no programs in {export / 'fixtures'}")
        for program in programs:
            case = "fixtures/" + program.stem
            try:
                keras_text = summary_in_subprocess(program)
            except Exception as error:  # noqa: BLE001 - any failure of the program is reported
                report(case, f"the program fails: {error}")
                continue
            fixture = (FIXTURES / f"{program.stem}.txt").read_text(encoding="utf-8")
            shapelab = program.with_suffix(".summary.txt").read_text(encoding="utf-8")
            if keras_text != fixture:
                report(case, "its summary differs from the fixture\n" + diff(fixture, keras_text, "fixture", "program"))
            elif keras_text != shapelab:
                report(case, "ShapeLab's summary differs\n" + diff(keras_text, shapelab, "keras", "shapelab"))
            else:
                passed += 1

    if not args.fixtures_only:
        programs = sorted(p for p in (export / "corpus").glob("*.py") if args.match in p.stem)
        if args.limit:
            programs = programs[: args.limit]
        for program in programs:
            case = "corpus/" + program.stem
            try:
                if args.subprocess:
                    keras_text = summary_in_subprocess(program)
                else:
                    with io.StringIO() as quiet:
                        stdout, sys.stdout = sys.stdout, quiet
                        try:
                            keras_text = summary_in_process(program.read_text(encoding="utf-8"))
                        finally:
                            sys.stdout = stdout
            except Exception as error:  # noqa: BLE001
                report(case, f"the program fails: {type(error).__name__}: {str(error).splitlines()[0][:300]}")
                continue
            shapelab = program.with_suffix(".summary.txt").read_text(encoding="utf-8")
            if keras_text != shapelab:
                report(case, "ShapeLab's summary differs\n" + diff(keras_text, shapelab, "keras", "shapelab"))
            else:
                passed += 1

    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
