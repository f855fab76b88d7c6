#!/usr/bin/env python3
"""Python-to-Python self-test: interop_client.py --case all against interop_server.py.

Does what the Swift tests will do with one side swapped in: starts the server with
--port 0, waits for its `LISTENING <port>` line, runs the client, stops the server with
SIGTERM and expects a clean exit. Runs once in plaintext and, when `openssl` is on the
PATH (or --tls is given), once more over TLS with a throwaway CA and server certificate
(without client_compressed_unary there: see README.md). Ends with `N passed, M failed`.

Usage: selftest.py [--tls | --no-tls] [--keep-certs DIR]
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER = os.path.join(HERE, "interop_server.py")
CLIENT = os.path.join(HERE, "interop_client.py")
TLS_NAME = "interop.test"


def start_server(extra_args):
    process = subprocess.Popen([sys.executable, SERVER, "--port", "0"] + extra_args,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = []

    def drain():
        for line in process.stderr:
            lines.append(line)
    threading.Thread(target=drain, daemon=True).start()
    first = process.stdout.readline()
    if not first.startswith("LISTENING "):
        process.kill()
        process.wait()
        raise RuntimeError("server did not start: %r\n%s" % (first, "".join(lines)))
    return process, int(first.split()[1]), lines


def stop_server(process):
    process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        return None


def make_certs(directory):
    """A CA and a server certificate for TLS_NAME and 127.0.0.1, signed by it."""
    def openssl(*args):
        subprocess.run(["openssl"] + list(args), cwd=directory, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=interop test CA",
            "-keyout", "ca.key", "-out", "ca.pem")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + TLS_NAME,
            "-keyout", "server.key", "-out", "server.csr")
    with open(os.path.join(directory, "san.ext"), "w") as f:
        f.write("subjectAltName=DNS:%s,IP:127.0.0.1\n" % TLS_NAME)
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-days", "2", "-extfile", "san.ext", "-out", "server.pem")
    return {name: os.path.join(directory, name) for name in ("ca.pem", "server.pem", "server.key")}


def run(label, server_args, client_args, cases):
    print("== %s" % label, flush=True)
    process, port, server_log = start_server(server_args)
    try:
        result = subprocess.run([sys.executable, CLIENT, "--target", "127.0.0.1:%d" % port, "--case", cases]
                                + client_args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                timeout=300)
    finally:
        status = stop_server(process)
    lines = [line for line in result.stdout.splitlines() if line.startswith(("PASS ", "FAIL "))]
    for line in lines:
        print("%s [%s]" % (line, label), flush=True)
    if result.stderr.strip():
        sys.stdout.write("".join("  client stderr: %s\n" % l for l in result.stderr.splitlines()))
    passed = sum(line.startswith("PASS ") for line in lines)
    failed = len(lines) - passed
    if status != 0:
        print("FAIL server_shutdown: exit status %s after SIGTERM [%s]\n%s" % (status, label, "".join(server_log)))
        failed += 1
    else:
        print("PASS server_shutdown [%s]" % label)
        passed += 1
    if not lines or result.returncode not in (0, 1):
        print("FAIL client_run: exit status %d [%s]\n%s" % (result.returncode, label, result.stderr))
        failed += 1
    return passed, failed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--tls", action="store_true", help="run the TLS pass (needs openssl)")
    group.add_argument("--no-tls", action="store_true", help="skip the TLS pass")
    parser.add_argument("--keep-certs", help="write the TLS test certificates here and keep them")
    args = parser.parse_args()

    passed, failed = run("plaintext", [], [], "all")

    want_tls = args.tls or (not args.no_tls and shutil.which("openssl"))
    if want_tls:
        directory = args.keep_certs or tempfile.mkdtemp(prefix="interop-certs-")
        os.makedirs(directory, exist_ok=True)
        try:
            certs = make_certs(directory)
            list_cases = subprocess.run([sys.executable, CLIENT, "--list"], stdout=subprocess.PIPE,
                                        text=True, check=True).stdout.split()
            tls_cases = ",".join(c for c in list_cases if c != "client_compressed_unary")
            p, f = run("tls",
                       ["--tls-cert", certs["server.pem"], "--tls-key", certs["server.key"]],
                       ["--tls-ca", certs["ca.pem"], "--server-host-override", TLS_NAME],
                       tls_cases)
            passed += p
            failed += f
        finally:
            if not args.keep_certs:
                shutil.rmtree(directory, ignore_errors=True)
    else:
        print("== tls: skipped (no openssl)")

    print("%d passed, %d failed" % (passed, failed), flush=True)
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
