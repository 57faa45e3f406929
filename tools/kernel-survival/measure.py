"""Measures how ShapeLab's Jupyter kernel survives a learner, with a real Jupyter client (jupyter_client).

Starts the kernelspec "java" from a prefix (./shapelab install-kernel --prefix DIR) and runs, each in a
fresh kernel:

  flood      a cell printing 2,000,000 lines: wall time to the execute reply and to idle, stream
             messages / bytes / lines the client received, the last stream text
  exit       a variable, then System.exit(0), Runtime.getRuntime().exit(1), Runtime.getRuntime().halt(2)
             and System.exit from a thread the cell starts: each cell's reply, whether the kernel process
             lives on and still has the variable, and whether a JVM warning reached a cell's output
  prompt     a cell printing a line, then sleeping 2 s: when the line arrived, against the cell's end
  order      prints to stdout and stderr around a display(...) and an exception: what arrives, in order
  interrupt  while (true) {} interrupted after 2 s: time from the interrupt request to idle, then 1 + 1
  shutdown   Jupyter's shutdown request: time until the kernel process ends by itself, and its exit code
  orphan     the client process is killed (SIGKILL): time until the orphaned kernel ends by itself

Usage (Debian's python3-jupyter-client; /usr/bin/python3, not a pyenv one):
  ./shapelab install-kernel --prefix target/survival
  /usr/bin/python3 tools/kernel-survival/measure.py --prefix target/survival [--flood-timeout 300] [SCENARIO...]

Prints one JSON object per scenario; docs/kernel-survival.md has the figures and how they were taken.
"""
import argparse
import json
import os
import signal
import subprocess
import sys
import time

FLOOD_LINES = 2_000_000
FLOOD = f"for (int i = 0; i < {FLOOD_LINES:_}; i++) System.out.println(i);"
# Words of the JDK's own warnings (System::setSecurityManager's deprecation) that must stay in the log.
JVM_WARNING = "WARNING:"


def start(prefix, startup_timeout=120):
    os.environ["JUPYTER_PATH"] = os.path.join(os.path.abspath(prefix), "share", "jupyter")
    from jupyter_client import KernelManager

    km = KernelManager(kernel_name="java")
    began = time.monotonic()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=startup_timeout)
    return km, kc, time.monotonic() - began


def stop(km, kc):
    kc.stop_channels()
    if km.is_alive():
        km.shutdown_kernel(now=True)


def run(kc, code, timeout=60, km=None):
    """Executes a cell; returns its reply and the iopub messages of the cell up to idle, with timings.
    Given the kernel manager, stops waiting as soon as the kernel process is gone."""
    began = time.monotonic()
    msg_id = kc.execute(code)
    messages = []
    reply = None
    replied_at = None
    deadline = began + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return {"timed_out": True, "seconds": time.monotonic() - began, "messages": messages,
                    "reply": reply, "reply_seconds": replied_at}
        if reply is None:
            try:
                shell = kc.get_shell_msg(timeout=0)
                if shell["parent_header"].get("msg_id") == msg_id:
                    reply = shell["content"]
                    replied_at = time.monotonic() - began
            except Exception:
                pass
        try:
            msg = kc.get_iopub_msg(timeout=min(left, 0.5))
        except Exception:
            if km is not None and not km.is_alive():
                return {"timed_out": False, "died": True, "seconds": time.monotonic() - began,
                        "messages": messages, "reply": reply, "reply_seconds": replied_at}
            continue
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        messages.append(msg)
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    idle_at = time.monotonic() - began
    while reply is None and time.monotonic() < deadline:
        shell = kc.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))
        if shell["parent_header"].get("msg_id") == msg_id:
            reply = shell["content"]
            replied_at = time.monotonic() - began
    return {"timed_out": False, "seconds": idle_at, "messages": messages, "reply": reply,
            "reply_seconds": replied_at}


def streams(result):
    return [m for m in result["messages"] if m["msg_type"] == "stream"]


def stream_text(result):
    return "".join(m["content"]["text"] for m in streams(result))


def cpu_seconds(pid):
    """User + system CPU time a process has used so far (Linux /proc), in seconds."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def value(result):
    for m in result["messages"]:
        if m["msg_type"] == "execute_result":
            return m["content"]["data"].get("text/plain")
    return None


def error(result):
    for m in result["messages"]:
        if m["msg_type"] == "error":
            return {"ename": m["content"]["ename"], "evalue": m["content"]["evalue"]}
    return None


def kernel_alive(km):
    return km.is_alive()


def flood(prefix, timeout):
    km, kc, ready = start(prefix)
    try:
        result = run(kc, FLOOD, timeout=timeout)
        received = streams(result)
        text = stream_text(result)
        summary = {
            "scenario": "flood",
            "kernel_ready_seconds": round(ready, 1),
            "timed_out": result["timed_out"],
            "seconds_to_idle": round(result["seconds"], 2),
            "seconds_to_reply": None if result["reply_seconds"] is None else round(result["reply_seconds"], 2),
            "stream_messages": len(received),
            "stream_bytes": len(text.encode("utf-8")),
            "stream_lines": text.count("\n"),
            "reply_status": None if result["reply"] is None else result["reply"]["status"],
            "last_text": text[-400:],
        }
        if result["timed_out"]:
            summary["note"] = f"no idle within {timeout} s; the kernel was killed"
        else:
            after = run(kc, "1 + 1", timeout=60)
            summary["next_cell_value"] = value(after)
        return summary
    finally:
        stop(km, kc)


def exit_cells(prefix):
    km, kc, _ = start(prefix)
    cells = [
        "System.exit(0);",
        "Runtime.getRuntime().exit(1);",
        "Runtime.getRuntime().halt(2);",
        'var t = new Thread(() -> System.exit(3)); t.start(); t.join(); System.out.println("joined");',
    ]
    try:
        run(kc, "int keep = 42;")
        outcomes = []
        for code in cells:
            result = run(kc, code, timeout=30, km=km)
            time.sleep(0.5)  # an exiting JVM takes a moment to go
            alive = kernel_alive(km)
            outcome = {
                "cell": code,
                "reply_status": None if result["reply"] is None else result["reply"]["status"],
                "error": error(result),
                "stream": stream_text(result)[:600],
                "jvm_warning_in_cell": JVM_WARNING in stream_text(result),
                "kernel_alive": alive,
            }
            if not alive:
                outcomes.append(outcome)
                break
            outcome["keep_after"] = value(run(kc, "keep", timeout=30))
            outcomes.append(outcome)
        return {"scenario": "exit", "cells": outcomes}
    finally:
        stop(km, kc)


def prompt(prefix):
    km, kc, _ = start(prefix)
    try:
        began = time.monotonic()
        msg_id = kc.execute('System.out.println("first");\nThread.sleep(2000);\nSystem.out.println("second");')
        first = idle = None
        while time.monotonic() - began < 60 and idle is None:
            try:
                msg = kc.get_iopub_msg(timeout=1)
            except Exception:
                continue
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "stream" and "first" in msg["content"]["text"] and first is None:
                first = time.monotonic() - began
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                idle = time.monotonic() - began
        return {"scenario": "prompt", "first_line_seconds": None if first is None else round(first, 3),
                "idle_seconds": None if idle is None else round(idle, 3)}
    finally:
        stop(km, kc)


def order(prefix):
    km, kc, _ = start(prefix)
    try:
        result = run(kc, 'System.out.println("one");\nSystem.err.println("two");\ndisplay("three");\n'
                         'System.out.println("four");\nthrow new IllegalStateException("five");')
        seen = []
        for m in result["messages"]:
            kind = m["msg_type"]
            if kind == "stream":
                seen.append(m["content"]["name"] + ":" + m["content"]["text"])
            elif kind == "display_data":
                seen.append("display:" + m["content"]["data"].get("text/plain", ""))
            elif kind == "error":
                seen.append("error:" + m["content"]["ename"])
        return {"scenario": "order", "messages": seen}
    finally:
        stop(km, kc)


def interrupt(prefix):
    km, kc, _ = start(prefix)
    try:
        # IJava runs its start-up scripts on the first execute request: a cell first, so that the interrupt meets
        # the loop, not the start-up.
        run(kc, "int warm = 1;", timeout=120)
        msg_id = kc.execute("long spins = 0;\nwhile (true) { spins++; }")
        time.sleep(2)
        began = time.monotonic()
        km.interrupt_kernel()
        idle = None
        err = None
        while time.monotonic() - began < 60:
            try:
                msg = kc.get_iopub_msg(timeout=1)
            except Exception:
                continue
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "error":
                err = msg["content"]["ename"] + ": " + msg["content"]["evalue"]
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                idle = time.monotonic() - began
                break
        after = run(kc, "1 + 1", timeout=30)
        spins = run(kc, "spins > 0", timeout=30)
        # Whether the loop really stopped (IJava and JJava report the cell interrupted either way): spins read
        # twice 2 s apart, and the kernel's CPU time over those 2 s (a busy loop uses one core, 2.0 s)
        # (3 s after the interrupt first: ShapeLab's watch in IJava and JJava stops a loop 1-1.25 s after it.)
        pid = km.provisioner.process.pid
        time.sleep(max(0.0, 3 - (time.monotonic() - began)))
        first = run(kc, "spins", timeout=30)
        cpu_before = cpu_seconds(pid)
        time.sleep(2)
        cpu_used = cpu_seconds(pid) - cpu_before
        second = run(kc, "spins", timeout=30)
        return {"scenario": "interrupt", "interrupt_to_idle_seconds": None if idle is None else round(idle, 3),
                "error": err, "next_cell_value": value(after), "spins_kept": value(spins),
                "loop_still_running": value(first) != value(second),
                "kernel_cpu_seconds_in_2s_after": round(cpu_used, 2)}
    finally:
        stop(km, kc)


def shutdown(prefix):
    km, kc, _ = start(prefix)
    process = km.provisioner.process
    run(kc, "int keep = 1;")
    began = time.monotonic()
    kc.shutdown()
    code = None
    while time.monotonic() - began < 30:
        code = process.poll()
        if code is not None:
            break
        time.sleep(0.05)
    seconds = time.monotonic() - began
    kc.stop_channels()
    if code is None:
        km.shutdown_kernel(now=True)
    return {"scenario": "shutdown", "exited_by_itself": code is not None, "exit_code": code,
            "seconds": round(seconds, 2)}


def orphan(prefix):
    """A client process that starts the kernel and is then killed, leaving the kernel without its parent."""
    child = subprocess.Popen([sys.executable, __file__, "--prefix", prefix, "_hold"], stdout=subprocess.PIPE,
                             text=True)
    pid = int(child.stdout.readline())
    began = time.monotonic()
    child.send_signal(signal.SIGKILL)
    child.wait()
    gone = None
    while time.monotonic() - began < 30:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            gone = time.monotonic() - began
            break
        # the orphan is a zombie until init reaps it; /proc tells a zombie from a live process
        try:
            with open(f"/proc/{pid}/stat") as stat:
                if stat.read().split()[2] == "Z":
                    gone = time.monotonic() - began
                    break
        except OSError:
            pass
        time.sleep(0.05)
    if gone is None:
        os.kill(pid, signal.SIGKILL)
    return {"scenario": "orphan", "kernel_ended_by_itself": gone is not None,
            "seconds": None if gone is None else round(gone, 2)}


def hold(prefix):
    km, kc, _ = start(prefix)
    print(km.provisioner.process.pid, flush=True)
    time.sleep(600)


SCENARIOS = {"flood": None, "exit": exit_cells, "prompt": prompt, "order": order, "interrupt": interrupt,
             "shutdown": shutdown, "orphan": orphan}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--prefix", required=True, help="the --prefix the kernel was installed with")
    parser.add_argument("--flood-timeout", type=float, default=300,
                        help="seconds to wait for the 2,000,000-line cell (default 300)")
    parser.add_argument("scenarios", nargs="*", help="any of: " + ", ".join(SCENARIOS) + " (default all)")
    args = parser.parse_args()
    if args.scenarios == ["_hold"]:
        hold(args.prefix)
        return
    for name in args.scenarios or list(SCENARIOS):
        if name not in SCENARIOS:
            parser.error(f"unknown scenario {name}")
        result = flood(args.prefix, args.flood_timeout) if name == "flood" else SCENARIOS[name](args.prefix)
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
