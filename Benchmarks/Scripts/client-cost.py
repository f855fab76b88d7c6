#!/usr/bin/env python3
"""The cost of a unary call to GRPCChannel clients (client-ours builds), compared in one run.

Usage:
  client-cost.py --server PATH LABEL=CLIENT[,FLAG...] [LABEL=CLIENT[,FLAG...] ...]
                 [--calls 4000] [--rounds 8] [--concurrency 1] [--callgrind 1000,3000]

Starts the server (a server-ours build) on a free loopback port, then runs the clients in turn,
round after round (interleaved, so that whatever else the machine does falls on all of them), and
prints per client the median of its rounds and the ratio to the first client.

By default the figure is the client's own CPU time per call (all its threads,
`CLOCK_PROCESS_CPUTIME_ID`, as client-ours prints it), which a busy machine disturbs less than wall
time but still moves by several percent from round to round: compare medians of many rounds.
With --callgrind LOW,HIGH it is instructions per call instead, counted by
`valgrind --tool=callgrind` as the difference of two runs of LOW and HIGH calls (start-up,
connection and warm-up cancel out), for machines where valgrind can run the client (valgrind 3.19
cannot: it stops with an internal SIGSEGV on it, whatever the tool).

Example (a client of the commit before a change against this build's, with and without a policy):
  client-cost.py --server .build/release/server-ours \\
      before=/tmp/base/client-ours after=.build/release/client-ours \\
      after-retry=.build/release/client-ours,--retry-policy
"""

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, process, timeout=60):
    end = time.time() + timeout
    while time.time() < end:
        if process.poll() is not None:
            sys.exit("the server exited")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    sys.exit("the server did not listen within %ds" % timeout)


def cpu_per_call(command, calls, concurrency):
    """Microseconds of the client's CPU per call, as it reports them."""
    run = subprocess.run(command + ["--calls", str(calls), "--concurrency", str(concurrency)], capture_output=True, text=True)
    match = re.search(r"cpu_per_call_us ([0-9.]+)", run.stdout)
    if run.returncode != 0 or not match:
        sys.exit("client failed: %s\n%s%s" % (" ".join(command), run.stdout[-500:], run.stderr[-500:]))
    return float(match.group(1))


def instructions(command, calls, concurrency, scratch):
    """The client's total instructions (callgrind's summary) for one run of `calls` calls."""
    out = os.path.join(scratch, "callgrind.out")
    run = subprocess.run(["valgrind", "--tool=callgrind", "--dump-instr=no", "--callgrind-out-file=" + out]
                         + command + ["--calls", str(calls), "--concurrency", str(concurrency)], capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit("callgrind failed: %s\n%s" % (" ".join(command), run.stderr[-1000:]))
    with open(out) as f:
        for line in f:
            match = re.match(r"(summary|totals): (\d+)", line)
            if match:
                return int(match.group(2))
    sys.exit("no totals in %s" % out)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    parser.add_argument("--calls", type=int, default=4000)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--callgrind", help="LOW,HIGH: instructions per call from two runs under callgrind")
    parser.add_argument("clients", nargs="+", help="LABEL=CLIENT[,FLAG...]")
    arguments = parser.parse_args()

    port = free_port()
    server = subprocess.Popen([arguments.server, "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_port(port, server)
        clients = []
        for spec in arguments.clients:
            label, _, rest = spec.partition("=")
            path, *flags = rest.split(",")
            clients.append((label, [path, "--port", str(port)] + flags))
        unit = "instructions" if arguments.callgrind else "us CPU"
        figures = {label: [] for label, _ in clients}
        with tempfile.TemporaryDirectory() as scratch:
            for round in range(arguments.rounds):
                for label, command in clients:
                    if arguments.callgrind:
                        low, high = (int(n) for n in arguments.callgrind.split(","))
                        a = instructions(command, low, arguments.concurrency, scratch)
                        b = instructions(command, high, arguments.concurrency, scratch)
                        figures[label].append((b - a) / (high - low))
                    else:
                        figures[label].append(cpu_per_call(command, arguments.calls, arguments.concurrency))
                    print("round %d %-16s %10.1f %s per call" % (round + 1, label, figures[label][-1], unit), flush=True)
        first = clients[0][0]
        base = statistics.median(figures[first])
        print("\n%-16s %s per call: median (min-max) of %d rounds, concurrency %d; ratio of medians to %s"
              % ("client", unit, arguments.rounds, arguments.concurrency, first))
        for label, _ in clients:
            values = figures[label]
            median = statistics.median(values)
            print("%-16s %10.1f (%.1f-%.1f)  %.3fx" % (label, median, min(values), max(values), median / base))
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
