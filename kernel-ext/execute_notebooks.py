"""Runs notebooks through a Jupyter kernel with a real Jupyter client (nbclient), for ./shapelab execute.

Each executed notebook and its HTML rendering go to the output folder. A notebook fails when
- a cell shows an error, unless the cell is tagged raises-exception (nbclient's tag for a mistake made on
  purpose) and its error is a ShapeException; a cell so tagged that raises nothing, or whose error shows
  ShapeLab's own stack lines ("at org.shapelab..."), fails too. IJava names every exception a cell throws
  EvalException, JShell's wrapper, with the thrown class first in the traceback; JJava (1.0-a6 to this day)
  names it RuntimeException, its message "<thrown class>, <message>": the thrown class is the one checked;
- a cell writes to stderr (log noise in a learner's notebook), unless it is tagged allow-stderr.

Also prints, per notebook, how long the kernel took from start to the first model summary and the kernel
process's peak memory (VmHWM, Linux).
"""
import argparse
import pathlib
import re
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter

EXPECTED_ERROR = "ShapeException"
# IJava 1.3.0's error for an exception a cell throws: ename "EvalException" (jdk.jshell's wrapper), the traceback a
# line of dashes, then "<thrown class>: <message>", all in ANSI colours.
JSHELL_WRAPPER = "EvalException"
# JJava's: CodeEvaluator wraps JShell's EvalException in RuntimeException("<thrown class>, <message>").
JJAVA_WRAPPER = "RuntimeException"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
THROWN = re.compile(r"^([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)(?::|$)")
JJAVA_THROWN = re.compile(r"^([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+), ")
# ShapeLab's own stack line as Throwable.printStackTrace writes it, after IJava's or JJava's prefix:
# "\tat org.shapelab.model.Sequential.add(Sequential.java:80)".
SHAPELAB_STACK_LINE = re.compile(r"^[|\s]*at org\.shapelab\.[\w$.]+[(<]")


def error_name(error):
    """The simple name of the exception an error output reports: the thrown class, also where IJava wraps it."""
    if error.ename == JJAVA_WRAPPER:
        wrapped = JJAVA_THROWN.match(error.get("evalue", ""))
        if wrapped:
            return wrapped.group(1).rsplit(".", 1)[-1]
    if error.ename != JSHELL_WRAPPER:
        return error.ename
    for line in error.get("traceback", []):
        thrown = THROWN.match(ANSI.sub("", line).strip())
        if thrown:
            return thrown.group(1).rsplit(".", 1)[-1]
    return error.ename


def shapelab_stack_lines(error):
    """The traceback's lines naming ShapeLab's methods: a learner should see the explanation, not those."""
    return [line for line in (ANSI.sub("", text) for entry in error.get("traceback", []) for text in entry.splitlines())
            if SHAPELAB_STACK_LINE.match(line)]


def kernel_peak_rss_mb(client):
    """The kernel process's peak resident memory so far, in MB, or None where it cannot be read."""
    try:
        pid = client.km.provisioner.process.pid
    except AttributeError:
        return None
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def text_of(output):
    if output.get("output_type") == "stream":
        return output.get("text", "")
    return output.get("data", {}).get("text/plain", "")


def problems_in(nb):
    problems = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        tags = cell.metadata.get("tags", [])
        where = f"cell {index} ({cell.source.strip().splitlines()[0][:60] if cell.source.strip() else 'empty'})"
        errors = [o for o in cell.outputs if o.output_type == "error"]
        if "raises-exception" in tags:
            if not errors:
                problems.append(f"{where}: tagged raises-exception, but raised nothing")
            for error in errors:
                if error_name(error) != EXPECTED_ERROR:
                    problems.append(f"{where}: expected a {EXPECTED_ERROR}, got {error_name(error)}: {error.evalue}")
                elif shapelab_stack_lines(error):
                    frames = shapelab_stack_lines(error)
                    problems.append(f"{where}: the {EXPECTED_ERROR} shows {len(frames)} of ShapeLab's stack lines"
                                    f" after its explanation, first {frames[0].strip()}")
        else:
            for error in errors:
                problems.append(f"{where}: {error_name(error)}: {error.evalue.splitlines()[0] if error.evalue else ''}")
        if "allow-stderr" not in tags:
            for output in cell.outputs:
                if output.output_type == "stream" and output.name == "stderr":
                    problems.append(f"{where}: wrote to stderr: {output.text.strip().splitlines()[0][:120]}")
    return problems


def execute(path, kernel, out_dir, timeout):
    nb = nbformat.read(str(path), as_version=4)
    timings = {}
    peak = {"mb": None}

    def on_start(**_):
        timings.setdefault("ready", time.monotonic())

    def on_cell_executed(cell, **_):
        if "summary" not in timings and any("Total params" in text_of(o) for o in cell.get("outputs", [])):
            timings["summary"] = time.monotonic()
        peak["mb"] = kernel_peak_rss_mb(client) or peak["mb"]

    client = NotebookClient(nb, kernel_name=kernel, timeout=timeout, startup_timeout=120, allow_errors=True,
                            resources={"metadata": {"path": str(path.parent)}},
                            on_notebook_start=on_start, on_cell_executed=on_cell_executed)
    started = time.monotonic()
    client.execute()
    elapsed = time.monotonic() - started

    out_dir.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(out_dir / path.name))
    # nbconvert 6.5 (Debian 12) passes SVG outputs through lxml's HTML cleaner, which strips every SVG
    # element; these outputs come from our own kernel, so they go in as they are.
    html, _ = HTMLExporter(filters={"clean_html": lambda markup: markup}).from_notebook_node(nb)
    (out_dir / path.with_suffix(".html").name).write_text(html, encoding="utf-8")

    facts = [f"{elapsed:.1f} s"]
    if "ready" in timings:
        facts.append(f"kernel ready {timings['ready'] - started:.1f} s after start")
    if "summary" in timings:
        facts.append(f"first summary {timings['summary'] - started:.1f} s after start")
    if peak["mb"] is not None:
        facts.append(f"kernel peak RSS {peak['mb']:.0f} MB")
    return problems_in(nb), ", ".join(facts)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=pathlib.Path)
    parser.add_argument("--kernel", default="java")
    parser.add_argument("--out", type=pathlib.Path, required=True)
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    args = parser.parse_args()

    passed = failed = 0
    for path in args.notebooks:
        try:
            problems, facts = execute(path, args.kernel, args.out, args.timeout)
        except Exception as e:  # the kernel died or never started: report it as this notebook's failure
            problems, facts = [f"could not execute: {type(e).__name__}: {e}"], ""
        if problems:
            failed += 1
            print(f"FAIL {path} ({facts})")
            for problem in problems:
                print(f"     {problem}")
        else:
            passed += 1
            print(f"ok   {path} ({facts})")
    print(f"executed copies and HTML in {args.out}")
    print(f"notebooks: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
