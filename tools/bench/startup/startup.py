"""Kernel start to the first rendered summary, with a real Jupyter client (jupyter_client).

For each kernelspec "java" under a prefix (./shapelab install-kernel --prefix DIR [--ijava ZIP | --jjava DIR]),
--runs times in a fresh kernel: start the kernel (KernelManager.start_kernel), wait until it answers
kernel_info (ready), then run the first model cell of notebooks/00-smoke and 01-welcome and wait for its
execute_result with text/html and the summary's "Total params" in its text/plain (first summary). Prints one
line per run and the median, min and max per kernelspec, with the CPU (lscpu), CPUs allowed (taskset) and load.

Usage (Debian's python3-jupyter-client, /usr/bin/python3): run through tools/bench/startup/run, which builds,
installs the kernelspecs and pins everything to one CPU; or by hand:
  taskset -c 0 /usr/bin/python3 tools/bench/startup/startup.py --runs 5 LABEL=PREFIX [LABEL=PREFIX...]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

# The first model cell of notebooks/00-smoke.ipynb and 01-welcome.ipynb: the model is the cell's value.
FIRST_MODEL_CELL = """var model = Sequential.input(28, 28, 1)   // one sample: 28 rows, 28 cols, 1 channel
        .conv2d(32, 3, "relu")
        .maxPooling2d(2)
        .flatten()
        .dense(10, "softmax");
model"""


def cpu_model():
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown (no lscpu)"
    fields = dict(line.split(":", 1) for line in out.splitlines() if ":" in line)
    return " ".join(fields.get("Model name", "unknown").split())


def one_run(prefix, timeout):
    """Seconds from start_kernel to ready and to the first rendered summary, and the kernel's reply status."""
    os.environ["JUPYTER_PATH"] = os.path.join(os.path.abspath(prefix), "share", "jupyter")
    from jupyter_client import KernelManager

    km = KernelManager(kernel_name="java")
    began = time.monotonic()
    km.start_kernel(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    kc = km.client()
    try:
        kc.start_channels()
        kc.wait_for_ready(timeout=timeout)
        ready = time.monotonic() - began
        msg_id = kc.execute(FIRST_MODEL_CELL)
        summary = None
        problem = None
        deadline = time.monotonic() + timeout
        while summary is None and problem is None:
            msg = kc.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind in ("execute_result", "display_data"):
                data = content.get("data", {})
                if "text/html" in data and "Total params" in data.get("text/plain", ""):
                    summary = time.monotonic() - began
                else:
                    problem = f"{kind} without a rendered summary: {sorted(data)}"
            elif kind == "error":
                problem = f"error {content.get('ename')}: {content.get('evalue', '')[:200]}"
            elif kind == "status" and content.get("execution_state") == "idle":
                problem = "the cell ended without showing the model"
        return ready, summary, problem
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def describe(values):
    return (f"median {statistics.median(values):.2f} s, min {min(values):.2f} s, max {max(values):.2f} s"
            if values else "no run succeeded")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kernels", nargs="+", metavar="LABEL=PREFIX",
                        help="a label and the prefix its kernelspec java was installed under")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=180, help="seconds to wait for each step")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    allowed = sorted(os.sched_getaffinity(0))
    print(f"CPU: {cpu_model()}; CPUs this run may use: {allowed} of {os.cpu_count()}; "
          f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    results = {}
    for spec in args.kernels:
        label, _, prefix = spec.partition("=")
        with open(os.path.join(prefix, "share", "jupyter", "kernels", "java", "kernel.json")) as f:
            display_name = json.load(f).get("display_name", "?")
        readies, summaries = [], []
        for run in range(1, args.runs + 1):
            ready, summary, problem = one_run(prefix, args.timeout)
            readies.append(ready)
            line = f"{label} run {run}: ready {ready:.2f} s"
            if summary is not None:
                summaries.append(summary)
                line += f", first rendered summary {summary:.2f} s"
            if problem:
                line += f", PROBLEM: {problem}"
            print(line, flush=True)
        results[label] = {"kernelspec": display_name, "ready": readies, "first_summary": summaries}
        print(f"{label} ({display_name}): ready {describe(readies)}; first rendered summary {describe(summaries)}")
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"cpu": cpu_model(), "cpus": allowed, "results": results}, f, indent=1)
    failed = any(len(r["first_summary"]) < args.runs for r in results.values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
