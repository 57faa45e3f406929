"""Runs notebooks through a Jupyter kernel with nbclient and records every iopub message it sends.

For each notebook: wall time, the counts of iopub message types, per display id the display_data /
update_display_data messages (and whether an update named an id no display_data had shown), every error, the
stream text of each cell, wall and kernel CPU seconds per cell, and the kernel's peak memory: VmHWM of the kernel process and the peak of the summed
VmRSS of it and its child processes, sampled every 100 ms.

The kernel is any installed kernelspec (--kernel, default "java"; --prefix DIR puts DIR/share/jupyter on
JUPYTER_PATH, as ./shapelab install-kernel --prefix DIR installs it). Executed copies go to --out.

Usage (Debian's python3-nbclient; /usr/bin/python3, not a pyenv one):
  /usr/bin/python3 tools/notebook-messages/record.py --prefix DIR --out target/messages notebooks/09-training.ipynb

Prints one JSON object per notebook; --messages FILE also writes every recorded message (type, cell, time,
display id, content) as JSON lines.
"""
import argparse
import collections
import json
import os
import pathlib
import sys
import threading
import time


def rss_kb(pid):
    """(VmRSS, VmHWM) of one process in kB, or (0, 0) once it is gone."""
    rss = hwm = 0
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
                elif line.startswith("VmHWM:"):
                    hwm = int(line.split()[1])
    except OSError:
        pass
    return rss, hwm


def children(pid):
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found += [int(c) for c in f.read().split()]
    except OSError:
        pass
    return found + [g for c in found for g in children(c)]


def cpu_seconds(pid):
    """User + system CPU time of one process so far, or None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


class Sampler(threading.Thread):
    """Peak summed VmRSS of a process tree, the root's VmHWM and CPU time, until stopped."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak_tree_kb, self.hwm_kb, self.stopped = pid, 0, 0, threading.Event()
        self.cpu = 0.0

    def run(self):
        while not self.stopped.wait(0.1):
            self.sample()

    def sample(self):
        tree = sum(rss_kb(p)[0] for p in [self.pid] + children(self.pid))
        self.peak_tree_kb = max(self.peak_tree_kb, tree)
        self.hwm_kb = max(self.hwm_kb, rss_kb(self.pid)[1])
        self.cpu = cpu_seconds(self.pid) or self.cpu


def execute(path, kernel, out_dir, timeout, messages_out):
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(str(path), as_version=4)
    records = []
    began = time.monotonic()

    class Recording(NotebookClient):
        def process_message(self, msg, cell, cell_index):
            content = msg.get("content", {})
            records.append({
                "t": round(time.monotonic() - began, 3), "cell": cell_index, "type": msg["msg_type"],
                "display_id": (content.get("transient") or {}).get("display_id"),
                "content": content,
            })
            return super().process_message(msg, cell, cell_index)

    sampler = {}

    def on_start(**_):
        pid = client.km.provisioner.process.pid
        sampler["s"] = Sampler(pid)
        sampler["s"].start()

    cell_times = {}
    cell_cpu = {}

    def on_cell_start(cell, cell_index, **_):
        cell_times[cell_index] = time.monotonic()
        if "s" in sampler:
            cell_cpu[cell_index] = cpu_seconds(sampler["s"].pid)

    def on_cell_executed(cell, cell_index, **_):
        cell_times[cell_index] = round(time.monotonic() - cell_times[cell_index], 2)
        if "s" in sampler:
            sampler["s"].sample()
            if cell_cpu.get(cell_index) is not None:
                cell_cpu[cell_index] = round(sampler["s"].cpu - cell_cpu[cell_index], 2)

    client = Recording(nb, kernel_name=kernel, timeout=timeout, startup_timeout=180, allow_errors=True,
                       resources={"metadata": {"path": str(path.parent)}}, on_notebook_start=on_start,
                       on_cell_start=on_cell_start, on_cell_executed=on_cell_executed)
    client.execute()
    elapsed = time.monotonic() - began
    if "s" in sampler:
        sampler["s"].stopped.set()

    out_dir.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(out_dir / path.name))
    if messages_out:
        with open(messages_out, "a") as f:
            for r in records:
                f.write(json.dumps({"notebook": path.name, **r}) + "\n")

    types = collections.Counter(r["type"] for r in records)
    displays = collections.OrderedDict()
    shown = set()
    orphan_updates = 0
    for r in records:
        if r["display_id"] is None or r["type"] not in ("display_data", "update_display_data", "execute_result"):
            continue
        d = displays.setdefault(r["display_id"], {"cell": r["cell"], "display_data": 0, "update_display_data": 0,
                                                  "execute_result": 0, "first_text": None, "last_text": None})
        d[r["type"]] += 1
        text = r["content"].get("data", {}).get("text/plain")
        if d["first_text"] is None:
            d["first_text"] = text
        d["last_text"] = text
        if r["type"] == "update_display_data" and r["display_id"] not in shown:
            orphan_updates += 1
        if r["type"] != "update_display_data":
            shown.add(r["display_id"])
    errors = [{"cell": r["cell"], "ename": r["content"].get("ename"),
               "evalue": (r["content"].get("evalue") or "").splitlines()[:1]}
              for r in records if r["type"] == "error"]
    streams = collections.defaultdict(str)
    for r in records:
        if r["type"] == "stream":
            streams[f'{r["cell"]}:{r["content"]["name"]}'] += r["content"]["text"]
    cells = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            cells.append({"cell": index, "seconds": cell_times.get(index), "kernel_cpu_seconds": cell_cpu.get(index),
                          "outputs": [o.output_type + ("(" + ",".join(sorted(o.get("data", {}))) + ")"
                                                       if "data" in o else "") for o in cell.outputs]})
    s = sampler.get("s")
    return {
        "notebook": path.name, "kernel": kernel, "wall_seconds": round(elapsed, 1),
        "message_types": dict(types), "displays_with_id": displays, "updates_without_a_display": orphan_updates,
        "errors": errors, "streams": dict(streams), "cells": cells,
        "kernel_cpu_seconds": round(s.cpu, 1) if s else None,
        "kernel_peak_vmhwm_mb": round(s.hwm_kb / 1024) if s else None,
        "kernel_tree_peak_rss_mb": round(s.peak_tree_kb / 1024) if s else None,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=pathlib.Path)
    parser.add_argument("--kernel", default="java")
    parser.add_argument("--prefix", type=pathlib.Path, help="a prefix the kernelspec was installed in")
    parser.add_argument("--out", type=pathlib.Path, required=True)
    parser.add_argument("--messages", type=pathlib.Path, help="write every message here, as JSON lines")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    args = parser.parse_args()
    if args.prefix:
        os.environ["JUPYTER_PATH"] = str(args.prefix.resolve() / "share" / "jupyter")
    if args.messages and args.messages.exists():
        args.messages.unlink()
    for path in args.notebooks:
        print(json.dumps(execute(path, args.kernel, args.out, args.timeout, args.messages), indent=1,
                         ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
