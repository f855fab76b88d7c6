#!/usr/bin/env python3
"""Instructions per unary call of GRPCChannel clients (client-ours builds), counted by callgrind.

Usage:
  client-instructions.py --server PATH LABEL=CLIENT[,FLAG...] [LABEL=CLIENT[,FLAG...] ...]
                         [--calls 1000,3000] [--rounds 2]

Starts the server (a server-ours build) on a free loopback port, then runs each client under
`valgrind --tool=callgrind` twice per round, with the two call counts of --calls, and prints per
client the instructions per call: the difference of the two runs' totals over the difference of
their calls, so that start-up, connection and the warm-up calls cancel out. Only the client
process is counted (all its threads); the server runs natively. Instruction counts hold on a busy
machine where timings do not, which is why the client's cost is measured this way.

Example (a client of the commit before a change against this build's, with and without a policy):
  client-instructions.py --server .build/release/server-ours \\
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


def instructions(command, calls, scratch):
    """The client's total instructions (callgrind's `summary`) for one run of `calls` calls."""
    out = os.path.join(scratch, "callgrind.out")
    run = subprocess.run(["valgrind", "--tool=callgrind", "--dump-instr=no", "--callgrind-out-file=" + out]
                         + command + ["--calls", str(calls)], capture_output=True, text=True)
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
    parser.add_argument("--calls", default="1000,3000")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("clients", nargs="+", help="LABEL=CLIENT[,FLAG...]")
    arguments = parser.parse_args()
    low, high = (int(n) for n in arguments.calls.split(","))

    port = free_port()
    server = subprocess.Popen([arguments.server, "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_port(port, server)
        clients = []
        for spec in arguments.clients:
            label, _, rest = spec.partition("=")
            path, *flags = rest.split(",")
            clients.append((label, [path, "--port", str(port)] + flags))
        per_call = {label: [] for label, _ in clients}
        with tempfile.TemporaryDirectory() as scratch:
            # Rounds interleave the clients, so that whatever else the machine does falls on all.
            for round in range(arguments.rounds):
                for label, command in clients:
                    a = instructions(command, low, scratch)
                    b = instructions(command, high, scratch)
                    per_call[label].append((b - a) / (high - low))
                    print("round %d %-14s %10.0f instructions per call" % (round + 1, label, per_call[label][-1]), flush=True)
        first = clients[0][0]
        base = statistics.median(per_call[first])
        print("\nclient          instructions per call (median of %d)  ratio to %s" % (arguments.rounds, first))
        for label, _ in clients:
            value = statistics.median(per_call[label])
            print("%-15s %10.0f %33.3fx" % (label, value, value / base))
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
