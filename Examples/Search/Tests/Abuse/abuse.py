#!/usr/bin/env python3
"""The abuse suite: attacks a real search-server (a release build) from real sockets, one attack
at a time, each against a fresh server, while legitimate grpcio clients keep calling it, and
checks that the server defends itself and keeps serving them.

    abuse.py --server PATH [--only NAME[,NAME...]] [--json FILE] [--list]

For each attack it measures the legitimate clients' latency (p99 before and during the attack)
and failures, the server's resident memory and open file descriptors (before, peak during, and
after the attacker has gone), its CPU time, and the log lines the attack caused; then checks
them, and what the attack itself observed, against the bounds below. Exits 1 if any check
fails; every attack runs either way, so one run gives every figure.

The checks hold on a loaded machine by construction: a time bound is the server's own timer (a
preface deadline, an idle timeout, a call's deadline) plus SCHEDULING_SLACK, chosen far below
what the server did before the defence existed (it held such connections and calls for good), and
the legitimate clients are checked by the deadline each of their calls carries. Their p99 latency
before and during each attack is printed, not checked: it measures the machine as much as the
server when others share its cores.

Limits that the checks rely on are set for the server through its environment (SERVER_SETTINGS
below), short enough for a test: a production server keeps the defaults, which the README's
"Limits and defences" section lists. Attacks call /Search/monitor and the legitimate clients
/Search/search, so the server's access log tells their lines apart.
"""

import argparse
import asyncio
import json
import os
import resource
import signal
import statistics
import struct
import subprocess
import sys
import threading
import time

import h2raw
from h2raw import (CANCEL, ERROR_NAMES, PING, REFUSED_STREAM, Connection, frame,
                   grpc_message, request_headers, rst_frame, stateless_header_block)

HERE = os.path.dirname(os.path.abspath(__file__))
SEARCH_ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
HOST = "127.0.0.1"
ATTACK_PATH = "/Search/monitor"
LEGIT_PATH = "/Search/search"

# The limits the suite runs the server with, through the environment (a server that does not know
# a variable ignores it). The checks' deadlines are derived from them.
PREFACE_TIMEOUT = 2.0           # seconds for a new connection to send the preface and SETTINGS
IDLE_TIMEOUT = 3.0              # a connection with no open stream is closed after this
REQUEST_IDLE_TIMEOUT = 3.0      # a call without a deadline whose request makes no progress is ended
MAX_CONNECTIONS = 200           # connections served at once (the flood attack only)
CONNECTION_BUFFER_BUDGET = 16 << 20  # buffered request bytes per connection
SERVER_BUFFER_BUDGET = 64 << 20      # buffered request bytes for the whole server
SERVER_SETTINGS = {
    "SEARCH_PREFACE_TIMEOUT": "%gs" % PREFACE_TIMEOUT,
    "SEARCH_IDLE_TIMEOUT": "%gs" % IDLE_TIMEOUT,
    "SEARCH_REQUEST_IDLE_TIMEOUT": "%gs" % REQUEST_IDLE_TIMEOUT,
    "SEARCH_CONNECTION_BUFFER_BUDGET": str(CONNECTION_BUFFER_BUDGET),
    "SEARCH_SERVER_BUFFER_BUDGET": str(SERVER_BUFFER_BUDGET),
}
MAXIMUM_MESSAGE_SIZE = 4 << 20  # GRPCServer.Configuration.maximumReceiveMessageSize's default
MAX_CONCURRENT_STREAMS = 100    # GRPCServer.Configuration.maximumConcurrentStreams's default

# Bounds every attack is checked against.
LEGIT_TIMEOUT = 5.0             # each legitimate call's deadline: one that misses it fails
SCHEDULING_SLACK = 10.0         # added to a server timer for a loaded machine's delays on both ends
FDS_AFTER_SLACK = 8             # open descriptors after the attack, over those before it
RSS_AFTER_SLACK = 32 << 20      # resident bytes after the attack, over those before it
RSS_PEAK_SLACK = 64 << 20       # resident bytes during an attack, over those before it (unless
                                # the attack sets its own)
WARNING_LINES = 0               # log lines at warning or worse caused by an attack
WARMUP = 3.0                    # legitimate calls before the attack, for the "before" figures
SETTLE = 3.0                    # after the attacker has gone, before the "after" figures


class ServerProcess:
    """A search-server on a free port, its log lines (JSON on standard output) timestamped as
    they arrive, and samples of its memory, descriptors and CPU time every 50 ms."""

    def __init__(self, binary, extra_env):
        env = dict(os.environ)
        env.update(SEARCH_PORT="0", SEARCH_HOST=HOST, SEARCH_STATSD="", SEARCH_LOG_LEVEL="info",
                   SEARCH_DATA=os.path.join(SEARCH_ROOT, "Fixtures", "places.geojson"))
        env.update(SERVER_SETTINGS)
        env.update(extra_env)
        self.process = subprocess.Popen([binary], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL)
        self.pid = self.process.pid
        self.lines = []             # (time, parsed JSON or None, raw length)
        self.samples = []           # (time, rss bytes, open fds, cpu seconds)
        self.port = None
        ready = threading.Event()
        self._stop = threading.Event()

        def read():
            for raw in self.process.stdout:
                now = time.monotonic()
                text = raw.decode("utf-8", "replace").rstrip("\n")
                if self.port is None and text.startswith("search-server listening on "):
                    self.port = int(text.rsplit(":", 1)[1])
                    ready.set()
                    continue
                try:
                    parsed = json.loads(text) if text.startswith("{") else None
                except ValueError:
                    parsed = None
                self.lines.append((now, parsed, len(raw)))
            ready.set()

        def sample():
            ticks = os.sysconf("SC_CLK_TCK")
            page = os.sysconf("SC_PAGE_SIZE")
            while not self._stop.is_set():
                try:
                    with open("/proc/%d/statm" % self.pid) as f:
                        rss = int(f.read().split()[1]) * page
                    fds = len(os.listdir("/proc/%d/fd" % self.pid))
                    with open("/proc/%d/stat" % self.pid) as f:
                        fields = f.read().rsplit(")", 1)[1].split()
                    cpu = (int(fields[11]) + int(fields[12])) / ticks
                    self.samples.append((time.monotonic(), rss, fds, cpu))
                except (OSError, ValueError, IndexError):
                    pass
                self._stop.wait(0.05)

        threading.Thread(target=read, daemon=True).start()
        if not ready.wait(30) or self.port is None:
            self.stop()
            raise RuntimeError("search-server did not start: %s" % self.tail())
        threading.Thread(target=sample, daemon=True).start()
        time.sleep(0.2)

    def tail(self):
        return " | ".join(json.dumps(p) if p else "?" for _, p, _ in self.lines[-5:])

    def window(self, start, end):
        return [s for s in self.samples if start <= s[0] <= end]

    def latest(self):
        return self.samples[-1]

    def stop(self):
        self._stop.set()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(3)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class LegitClients:
    """legit_client.py in its own process, calling from before the attack until after it."""

    def __init__(self, port, options=()):
        self.process = subprocess.Popen(
            [sys.executable, os.path.join(HERE, "legit_client.py"), "%s:%d" % (HOST, port), "--timeout", str(LEGIT_TIMEOUT)]
            + list(options), stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        line = self.process.stdout.readline()
        if line.strip() != b"ready":
            raise RuntimeError("legitimate clients did not start")

    def finish(self):
        self.process.stdin.close()
        out = self.process.stdout.read()
        self.process.wait(30)
        return json.loads(out)


def p99(latencies):
    if not latencies:
        return float("nan")
    ordered = sorted(latencies)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def mib(n):
    return "%.1f MiB" % (n / (1 << 20))


def ms(seconds):
    return "%.1f ms" % (seconds * 1000)


class Report:
    """One attack's figures and checks."""

    def __init__(self, name, summary):
        self.name, self.summary = name, summary
        self.figures = {}
        self.checks = []    # (passed, text)
        self.notes = []

    def check(self, passed, text):
        self.checks.append((bool(passed), text))

    def note(self, text):
        """A figure worth reading that no check judges on its own."""
        self.notes.append(text)

    @property
    def passed(self):
        return all(p for p, _ in self.checks)

    def print(self):
        print("== %s: %s" % (self.name, self.summary))
        for passed, text in self.checks:
            print("   %-5s %s" % ("ok" if passed else "FAIL", text))
        for text in self.notes:
            print("        %s" % text)
        sys.stdout.flush()


# ---------------------------------------------------------------------------------------------
# The attacks. Each is a coroutine taking (server, report) that runs the attack against server.port,
# records what it saw in report.figures, report.check(...) and report.note(...), and closes every
# connection it opened before returning.
# Each attack's settings: extra environment for its server, and its own peak memory bound.

ATTACKS = []


def attack(name, summary, env=None, rss_peak_slack=RSS_PEAK_SLACK, rss_after_slack=RSS_AFTER_SLACK, log_lines=None):
    """Registers an attack."""
    def register(function):
        ATTACKS.append(dict(name=name, summary=summary, run=function, env=env or {},
                            rss_peak_slack=rss_peak_slack, rss_after_slack=rss_after_slack, log_lines=log_lines))
        return function
    return register


async def open_raw(port, count):
    """`count` TCP connections that send nothing (yet)."""
    async def one():
        try:
            return await asyncio.open_connection(HOST, port)
        except OSError:
            return None
    pairs = await asyncio.gather(*(one() for _ in range(count)))
    return [p for p in pairs if p is not None]


async def closed_by_server(reader, timeout):
    """The time the server closed a raw connection, or None if it stayed open for `timeout`."""
    try:
        while True:
            data = await asyncio.wait_for(reader.read(65536), timeout)
            if not data:
                return time.monotonic()
    except asyncio.TimeoutError:
        return None
    except (ConnectionError, OSError):
        return time.monotonic()


def close_raw(pairs):
    for _, writer in pairs:
        try:
            writer.close()
        except Exception:
            pass


def search_request_bytes():
    # SearchRequest{lat: 52.474, lng: 13.346}: fields 4 and 5, floats.
    return b"\x25" + struct.pack("<f", 52.474) + b"\x2d" + struct.pack("<f", 13.346)


@attack("silent-connections", "500 TCP connections that never send a byte", log_lines=500)
async def silent_connections(server, report):
    port = server.port
    start = time.monotonic()
    pairs = await open_raw(port, 500)
    deadline = PREFACE_TIMEOUT + SCHEDULING_SLACK
    closed = await asyncio.gather(*(closed_by_server(r, deadline - (time.monotonic() - start)) for r, _ in pairs))
    n = sum(1 for c in closed if c is not None)
    report.figures.update(opened=len(pairs), closed_by_server=n)
    report.check(len(pairs) == 500, "opened %d of 500 connections" % len(pairs))
    report.check(n == len(pairs), "server closed %d of %d silent connections within %.0f s (preface deadline %.0f s)"
                 % (n, len(pairs), deadline, PREFACE_TIMEOUT))
    close_raw(pairs)


@attack("slow-preface", "500 connections sending the HTTP/2 preface one byte a second", log_lines=500)
async def slow_preface(server, report):
    port = server.port
    start = time.monotonic()
    pairs = await open_raw(port, 500)
    deadline = PREFACE_TIMEOUT + SCHEDULING_SLACK
    watchers = [asyncio.ensure_future(closed_by_server(r, deadline)) for r, _ in pairs]
    for i in range(int(deadline)):
        if all(w.done() for w in watchers):
            break
        for (_, writer), watcher in zip(pairs, watchers):
            if not watcher.done() and not writer.is_closing():
                writer.write(h2raw.PREFACE[i:i + 1])
        await asyncio.sleep(1)
    closed = await asyncio.gather(*watchers)
    n = sum(1 for c in closed if c is not None and c - start <= deadline)
    report.figures.update(opened=len(pairs), closed_by_server=n)
    report.check(n == len(pairs) == 500, "server closed %d of %d trickling connections within %.0f s"
                 % (n, len(pairs), deadline))
    close_raw(pairs)


@attack("headers-without-body", "100 connections x 100 streams: HEADERS, then never a body",
        # 10,000 calls held at once until their idle timeout: a held call costs the server about
        # 10 KiB (its HTTP/2 stream, handlers and task), so the peak may reach 100 MiB over the start.
        log_lines=10000, rss_peak_slack=(16 << 20) + 10000 * (10 << 10))
async def headers_without_body(server, report):
    await body_less_calls(server, report, 100)


@attack("few-headers-without-body", "10 connections x 100 streams: HEADERS, then never a body",
        log_lines=1000)
async def few_headers_without_body(server, report):
    await body_less_calls(server, report, 10)


async def body_less_calls(server, report, count):
    port = server.port
    start = time.monotonic()
    connections = await asyncio.gather(*(Connection.open(HOST, port) for _ in range(count)))
    block = request_headers(ATTACK_PATH)
    for c in connections:
        await c.wait_settings()
        for _ in range(100):
            c.open_stream(block)
        await c.drain()
    stream_deadline = REQUEST_IDLE_TIMEOUT + SCHEDULING_SLACK
    connection_deadline = REQUEST_IDLE_TIMEOUT + IDLE_TIMEOUT + SCHEDULING_SLACK
    await asyncio.gather(*(c.wait_closed(connection_deadline - (time.monotonic() - start)) for c in connections))
    streams = [s for c in connections for s in c.streams.values()]
    ended = sum(1 for s in streams if s.finished and s.finished_at - start <= stream_deadline)
    closed = sum(1 for c in connections if c.closed is not None and c.closed - start <= connection_deadline)
    report.figures.update(streams=len(streams), streams_ended_by_server=ended, connections_closed_by_server=closed)
    report.check(ended == len(streams) == count * 100, "server ended %d of %d body-less calls within %.0f s "
                 "(request idle timeout %.0f s)" % (ended, count * 100, stream_deadline, REQUEST_IDLE_TIMEOUT))
    report.check(closed == count, "server closed %d of %d connections left without calls within %.0f s "
                 "(idle timeout %.0f s)" % (closed, count, connection_deadline, IDLE_TIMEOUT))
    for c in connections:
        c.close()


CONNECTION_AGE = 2.0
CONNECTION_AGE_GRACE = 2.0


@attack("connection-age", "50 connections kept past a maximum age of %gs, each with a call whose request never ends, "
        "and 10 without a call that keep writing" % CONNECTION_AGE,
        env={"SEARCH_MAX_CONNECTION_AGE": "%gs" % CONNECTION_AGE, "SEARCH_MAX_CONNECTION_AGE_GRACE": "%gs" % CONNECTION_AGE_GRACE,
             "SEARCH_REQUEST_IDLE_TIMEOUT": "none", "SEARCH_IDLE_TIMEOUT": "60s"}, log_lines=100)
async def connection_age(server, report):
    port = server.port
    start = time.monotonic()
    connections = await asyncio.gather(*(Connection.open(HOST, port) for _ in range(50)))
    idle = await asyncio.gather(*(Connection.open(HOST, port) for _ in range(10)))
    streams = []
    for c in connections:
        await c.wait_settings()
        streams.append(c.open_stream(request_headers(ATTACK_PATH)))
        await c.drain()
    deadline = CONNECTION_AGE + CONNECTION_AGE_GRACE + SCHEDULING_SLACK

    async def keep_writing(c):
        # Like a client that started a call just before the GOAWAY reached it: it must read the
        # GOAWAY and a FIN, and its writes must not be answered with a reset (a client whose
        # write fails with a broken pipe loses that call) while the server still reads.
        while c.goaway is None and c.closed is None and time.monotonic() - start < deadline:
            await asyncio.sleep(0.005)
        while c.closed is None and time.monotonic() - start < deadline:
            c.send(frame(PING, 0, 0, b"12345678"))
            await asyncio.sleep(0.02)
        fin = c.closed
        while time.monotonic() - (fin or start) < 0.5:
            c.send(frame(PING, 0, 0, b"12345678"))
            await asyncio.sleep(0.02)
        return c.goaway is not None and fin is not None and c.read_error is None and not c.writer.is_closing()

    clean = await asyncio.gather(*(keep_writing(c) for c in idle))
    await asyncio.gather(*(c.wait_closed(deadline - (time.monotonic() - start)) for c in connections))
    goaways = [c.goaway for c in connections if c.goaway is not None]
    named = sum(1 for c, sid in zip(connections, streams) if c.goaway is not None and c.goaway[1] >= sid)
    early = sum(1 for g in goaways if g[0] - start < CONNECTION_AGE - 0.2)
    closed = sum(1 for c in connections if c.closed is not None and c.closed - start <= deadline)
    report.figures.update(goaways=len(goaways), goaways_naming_the_call=named, closed_by_server=closed,
                          closed_with_fin=sum(clean))
    report.check(len(goaways) == 50 and early == 0, "%d of 50 connections got a GOAWAY, none before the age of %gs (%d early)"
                 % (len(goaways), CONNECTION_AGE, early))
    report.check(named == 50, "%d of 50 GOAWAYs name the open call's stream, so it may finish in the grace period" % named)
    report.check(closed == 50, "server closed %d of 50 connections within %.0f s (age %gs + grace %gs)"
                 % (closed, deadline, CONNECTION_AGE, CONNECTION_AGE_GRACE))
    report.check(sum(clean) == 10, "%d of 10 connections without a call, writing on, read the GOAWAY and a FIN, and "
                 "took 0.5 s more of writes without a reset" % sum(clean))
    for c in connections + idle:
        c.close()


CHURN_AGE = "300ms"
CHURN_SECONDS = 10.0


@attack("connection-age-churn", "grpcio clients calling as fast as they can for %gs against a maximum connection age of %s"
        % (CHURN_SECONDS, CHURN_AGE),
        env={"SEARCH_MAX_CONNECTION_AGE": CHURN_AGE, "SEARCH_MAX_CONNECTION_AGE_GRACE": "2s", "SEARCH_IDLE_TIMEOUT": "60s"})
async def connection_age_churn(server, report):
    # Not an attack: every connection of 8 busy callers is ended every 300 ms, so that calls
    # keep meeting GOAWAYs. A call the client started before it read the GOAWAY is not taken;
    # the client retries it on a new connection, which it can only do if it reads the GOAWAY.
    busy = LegitClients(server.port, ["--channels", "4", "--threads-per-channel", "2", "--interval", "0.001"])
    await asyncio.sleep(CHURN_SECONDS)
    calls = await asyncio.get_running_loop().run_in_executor(None, busy.finish)
    failed = [code for _, _, code in calls if code != 0]
    report.figures.update(churn_calls=len(calls), churn_failed=len(failed))
    report.check(len(calls) > 1000 and not failed, "%d calls across connections ended every %s, %d failed%s"
                 % (len(calls), CHURN_AGE, len(failed), " (codes %s)" % sorted(set(failed)) if failed else ""))


@attack("connection-flood", "1,000 idle HTTP/2 connections against a limit of %d" % MAX_CONNECTIONS,
        env={"SEARCH_MAX_CONNECTIONS": str(MAX_CONNECTIONS), "SEARCH_IDLE_TIMEOUT": "60s"}, log_lines=1000)
async def connection_flood(server, report):
    port = server.port
    async def one():
        try:
            c = await asyncio.wait_for(Connection.open(HOST, port), 5)
        except (OSError, asyncio.TimeoutError):
            return None
        try:
            await c.wait_settings(3)
        except asyncio.TimeoutError:
            pass
        return c
    connections = await asyncio.gather(*(one() for _ in range(1000)))
    await asyncio.sleep(3)
    live = [c for c in connections if c is not None and c.closed is None and c.settings_received.is_set()]
    report.figures.update(served_connections=len(live))
    report.check(len(live) <= MAX_CONNECTIONS, "%d attack connections served at once (limit %d)"
                 % (len(live), MAX_CONNECTIONS))
    # A connection made now is the (MAX_CONNECTIONS + 3)th: the legitimate clients' two are older.
    # It is turned away or served; either way, the server must not have stopped working.
    for c in connections:
        if c is not None:
            c.close()
    await asyncio.sleep(1)
    ok = await unary_call_succeeds(port)
    report.check(ok, "a new connection after the flood is served")


async def unary_call_succeeds(port):
    try:
        c = await Connection.open(HOST, port)
        await c.wait_settings()
        sid = c.open_stream(request_headers(LEGIT_PATH))
        c.send_data_now(sid, grpc_message(search_request_bytes()), end_stream=True)
        await c.wait_streams([sid], 5)
        status = c.streams[sid].grpc_status
        c.close()
        return status == 0
    except (OSError, asyncio.TimeoutError):
        return False


@attack("error-then-hold", "300 connections that cause a connection error, then hold the socket",
        log_lines=300)
async def error_then_hold(server, report):
    port = server.port
    connections = await asyncio.gather(*(Connection.open(HOST, port) for _ in range(300)))
    for c in connections:
        await c.wait_settings()
        # DATA on stream 0 is a connection error of type PROTOCOL_ERROR (RFC 9113 section 6.1).
        c.send(frame(h2raw.DATA, 0, 0, b"x"))
    sent = time.monotonic()
    bound = 1 + SCHEDULING_SLACK  # closed after the GOAWAY is written, or after 1 s if unread
    await asyncio.gather(*(c.wait_closed(bound) for c in connections))
    goaways = sum(1 for c in connections if c.goaway is not None)
    closed = sum(1 for c in connections if c.closed is not None and c.closed - sent <= bound)
    report.figures.update(goaways=goaways, closed_by_server=closed)
    report.check(goaways == 300, "%d of 300 connections got a GOAWAY" % goaways)
    report.check(closed == 300, "server closed %d of 300 failed connections within %.0f s (RFC 9113 5.4.1)" % (closed, bound))
    for c in connections:
        c.close()


@attack("excess-streams", "one connection opens 20 streams beyond MAX_CONCURRENT_STREAMS")
async def excess_streams(server, report):
    port = server.port
    c = await Connection.open(HOST, port)
    await c.wait_settings()
    advertised = c.server_settings.get(h2raw.SETTINGS_MAX_CONCURRENT_STREAMS)
    report.check(advertised == MAX_CONCURRENT_STREAMS, "server advertises MAX_CONCURRENT_STREAMS %s" % advertised)
    limit = advertised or MAX_CONCURRENT_STREAMS
    block = request_headers(ATTACK_PATH)
    admitted = [c.open_stream(block) for _ in range(limit)]
    extra = [c.open_stream(block) for _ in range(20)]
    await c.drain()
    await c.wait_streams(extra, SCHEDULING_SLACK)
    refused = sum(1 for s in extra if c.streams[s].reset and c.streams[s].reset[1] == REFUSED_STREAM)
    for s in admitted:
        c.send_data_now(s, grpc_message(b""), end_stream=True)
    await c.drain()
    await c.wait_streams(admitted, SCHEDULING_SLACK)
    completed = sum(1 for s in admitted if c.streams[s].grpc_status == 0)
    more = [c.open_stream(block) for _ in range(10)]
    for s in more:
        c.send_data_now(s, grpc_message(b""), end_stream=True)
    await c.drain()
    await c.wait_streams(more, SCHEDULING_SLACK)
    later = sum(1 for s in more if c.streams[s].grpc_status == 0)
    goaway = c.goaway
    report.figures.update(refused=refused, admitted_completed=completed, later_completed=later,
                          goaway=ERROR_NAMES.get(goaway[2]) if goaway else None)
    report.check(refused == 20, "%d of 20 excess streams refused with RST_STREAM(REFUSED_STREAM)" % refused)
    report.check(goaway is None, "no GOAWAY (got %s)" % (ERROR_NAMES.get(goaway[2], goaway[2]) if goaway else "none"))
    report.check(completed == limit, "%d of %d admitted calls completed OK" % (completed, limit))
    report.check(later == 10, "%d of 10 calls opened afterwards on the same connection completed OK" % later)
    c.close()


@attack("near-limit-messages", "2 connections x 100 streams, each sending all but the last byte of a 4 MiB "
        "message", rss_peak_slack=SERVER_BUFFER_BUDGET + (32 << 20))
async def near_limit_messages(server, report):
    port = server.port
    length = MAXIMUM_MESSAGE_SIZE - 1
    body = grpc_message(b"\x00" * (length - 1), declared_length=length)  # one byte short
    connections = await asyncio.gather(*(Connection.open(HOST, port) for _ in range(2)))
    sent = []

    async def stream(c):
        sid = c.open_stream(request_headers(ATTACK_PATH))
        n = await c.send_data(sid, body, stall_timeout=3)
        sent.append(n)

    for c in connections:
        await c.wait_settings()
    await asyncio.gather(*(stream(c) for c in connections for _ in range(100)))
    total = sum(sent)
    exhausted = sum(1 for c in connections for s in c.streams.values() if s.grpc_status == 8)
    report.figures.update(bytes_accepted=total, resource_exhausted=exhausted)
    # The memory bound (the budget plus overhead) is the check; these say how it was kept.
    report.note("the attacker got %s of the %s it offered onto the socket; %d calls ended RESOURCE_EXHAUSTED"
                % (mib(total), mib(len(body) * 200), exhausted))
    for c in connections:
        c.close()


@attack("rapid-reset", "8 s of HEADERS + RST_STREAM pairs on 16 connections at a time (CVE-2023-44487)",
        log_lines=lambda figures: figures.get("connections", 0))
async def rapid_reset(server, report):
    port = server.port
    block = stateless_header_block(request_headers(ATTACK_PATH))
    full = stateless_header_block(request_headers(LEGIT_PATH))
    end = time.monotonic() + 8
    cpu_before = server.latest()[3]
    totals = dict(resets=0, connections=0, admitted=0, admitted_ok=0, goaways={}, goaway_below_admitted=0, failed={})

    async def attacker():
        while time.monotonic() < end:
            try:
                c = await Connection.open(HOST, port)
                await c.wait_settings()
            except (OSError, asyncio.TimeoutError):
                await asyncio.sleep(0.05)
                continue
            totals["connections"] += 1
            # A complete call first: whatever GOAWAY the resets bring must let it finish.
            first = c.new_stream_id()
            c.send(frame(h2raw.HEADERS, h2raw.END_HEADERS, first, full))
            c.send_data_now(first, grpc_message(search_request_bytes()), end_stream=True)
            while time.monotonic() < end and c.closed is None and c.goaway is None:
                batch = []
                for _ in range(100):
                    sid = c.next_stream_id
                    c.next_stream_id += 2
                    batch.append(frame(h2raw.HEADERS, h2raw.END_HEADERS, sid, block) + rst_frame(sid, CANCEL))
                c.send(b"".join(batch))
                totals["resets"] += 100
                await c.drain()
                await asyncio.sleep(0)
            await c.wait_streams([first], 3)
            totals["admitted"] += 1
            stream = c.streams[first]
            totals["admitted_ok"] += stream.grpc_status == 0
            if stream.grpc_status != 0:
                if stream.grpc_status is not None:
                    outcome = "status %d" % stream.grpc_status
                elif stream.reset is not None:
                    outcome = "reset %s" % ERROR_NAMES.get(stream.reset[1], stream.reset[1])
                elif c.closed is not None:
                    outcome = "connection closed first"
                else:
                    outcome = "no answer in 3 s"
                totals["failed"][outcome] = totals["failed"].get(outcome, 0) + 1
            if c.goaway:
                name = ERROR_NAMES.get(c.goaway[2], str(c.goaway[2]))
                totals["goaways"][name] = totals["goaways"].get(name, 0) + 1
                totals["goaway_below_admitted"] += c.goaway[1] < first
            c.close()

    await asyncio.gather(*(attacker() for _ in range(16)))
    cpu = server.latest()[3] - cpu_before
    report.figures.update(totals)
    if totals["connections"]:
        # The server reads no further than its reset limit on each connection, so the resets the
        # attacker wrote are not the ones the server paid for: the connection is the unit.
        report.note("server CPU per attacking connection: %.1f ms" % (cpu / totals["connections"] * 1e3))
    report.note("%d streams reset (written by the attacker) on %d connections; %d GOAWAYs named a last stream below the complete call's"
                % (totals["resets"], totals["connections"], totals["goaway_below_admitted"]))
    report.check(totals["admitted_ok"] == totals["admitted"],
                 "%d of %d complete calls sent before the resets finished OK (GOAWAYs: %s; the others: %s)"
                 % (totals["admitted_ok"], totals["admitted"], totals["goaways"] or "none", totals["failed"] or "none"))


@attack("cancelling-client", "one connection: 400 rounds of a complete call and a call reset as soon as it is "
        "sent (a hedging client's pattern, not a flood)")
async def cancelling_client(server, report):
    # The reset guard's allowance is earned back by calls that complete, so a client that
    # completes as many calls as it cancels keeps its connection; an attacker completes none.
    c = await Connection.open(HOST, server.port)
    await c.wait_settings()
    block = stateless_header_block(request_headers(ATTACK_PATH))
    completed = cancelled = 0
    for _ in range(400):
        if c.goaway is not None or c.closed is not None:
            break
        done = c.new_stream_id()
        c.send(frame(h2raw.HEADERS, h2raw.END_HEADERS, done, block))
        c.send_data_now(done, grpc_message(b""), end_stream=True)
        await c.wait_streams([done], 5)
        completed += c.streams[done].grpc_status == 0
        gone = c.new_stream_id()
        c.send(frame(h2raw.HEADERS, h2raw.END_HEADERS, gone, block) + rst_frame(gone, CANCEL))
        cancelled += 1
        await c.drain()
    goaway = c.goaway
    c.close()
    report.figures.update(completed=completed, cancelled=cancelled)
    report.check(goaway is None, "no GOAWAY after %d completed and %d cancelled calls (got %s)"
                 % (completed, cancelled, "none" if goaway is None else ERROR_NAMES.get(goaway[2], goaway[2])))
    report.check(completed == 400, "%d of 400 calls completed OK" % completed)


@attack("late-body-deadline", "50 calls with grpc-timeout 200m whose body comes 1 s late; 6 invalid "
        "grpc-timeout values")
async def late_body_deadline(server, report):
    port = server.port
    connections = await asyncio.gather(*(Connection.open(HOST, port) for _ in range(5)))
    for c in connections:
        await c.wait_settings()
    calls = [(c, c.open_stream(request_headers(ATTACK_PATH, timeout="200m"))) for c in connections for _ in range(10)]
    for c in connections:
        await c.drain()
    await asyncio.sleep(1)
    body_sent = time.monotonic()
    for c, sid in calls:
        c.send_data_now(sid, grpc_message(b""), end_stream=True)
    await asyncio.gather(*(c.wait_streams([s for cc, s in calls if cc is c], SCHEDULING_SLACK) for c in connections))
    statuses = [c.streams[s].grpc_status for c, s in calls]
    # The body arrives after the deadline, so the only right answer is DEADLINE_EXCEEDED, however
    # late the machine lets the server's timer fire; OK (the deadline ignored once the body came)
    # or no status at all is the race this attack looks for.
    exceeded = sum(1 for c, s in calls if c.streams[s].grpc_status == 4)
    before_body = sum(1 for c, s in calls if c.streams[s].grpc_status == 4 and c.streams[s].finished_at <= body_sent)
    counts = {str(k): statuses.count(k) for k in sorted(set(statuses), key=lambda v: (v is None, v))}
    report.figures.update(late_body_statuses=counts, ended_before_the_body=before_body)
    report.check(exceeded == 50, "%d of 50 calls ended DEADLINE_EXCEEDED (statuses: %s)"
                 % (exceeded, ", ".join("%s x%d" % ("none" if k == "None" else k, n) for k, n in counts.items())))
    report.note("%d of 50 ended before their body was sent, 0.8 s after the 200 ms deadline" % before_body)

    invalid = ["abc", "-1S", "123456789S", "1", "1x", "5 S"]
    c = connections[0]
    ids = []
    for value in invalid:
        sid = c.open_stream(request_headers(ATTACK_PATH, timeout=value))
        c.send_data_now(sid, grpc_message(b""), end_stream=True)
        ids.append(sid)
    await c.drain()
    await c.wait_streams(ids, SCHEDULING_SLACK)
    got = {v: c.streams[s].grpc_status for v, s in zip(invalid, ids)}
    report.figures.update(invalid_timeout_statuses=got)
    report.check(all(v == 13 for v in got.values()),
                 "invalid grpc-timeout values rejected with INTERNAL: %s" % got)
    for c in connections:
        c.close()


UNFINISHED_STREAM_TIMER = 10.0  # the server resets a stream whose client goes on after the status


@attack("oversize-body", "5 calls declaring a 5 MiB message (limit 4 MiB) and sending it all")
async def oversize_body(server, report):
    port = server.port
    c = await Connection.open(HOST, port)
    await c.wait_settings()
    body = grpc_message(b"\x00" * (5 << 20))
    results = []

    async def one():
        sid = c.open_stream(request_headers(ATTACK_PATH))
        start = time.monotonic()
        # Like a client that does not read its responses while it writes: it keeps sending after
        # the status, until the stream is reset, the body is all sent, or no window comes for 12 s.
        sent = await c.send_data(sid, body, stall_timeout=12, after_response=True)
        s = c.streams[sid]
        status_at = next((t for t in [s.ended, s.reset[0] if s.reset else None] if t), None)
        results.append(dict(status=s.grpc_status, status_after=(status_at - start) if status_at else None,
                            reset_after=(s.reset[0] - start) if s.reset else None, sent=sent,
                            sent_all=sent == len(body), done_after=time.monotonic() - start))

    await asyncio.gather(*(one() for _ in range(5)))
    report.figures.update(calls=results)
    # Before the defence, a refused stream was reset only by the 10 s timer for streams whose
    # client has not finished after the status: a sender released in under half of that was
    # released by the refusal itself.
    bound = UNFINISHED_STREAM_TIMER / 2
    refused = sum(1 for r in results if r["status"] == 8)
    released = sum(1 for r in results if (r["reset_after"] is not None and r["reset_after"] <= bound)
                   or (r["sent_all"] and r["done_after"] <= bound))
    slowest = max(((r["reset_after"] or r["done_after"]) for r in results), default=0)
    status_slowest = max((r["status_after"] or 0 for r in results), default=0)
    report.check(refused == 5, "%d of 5 calls ended RESOURCE_EXHAUSTED (slowest after %.2f s)" % (refused, status_slowest))
    report.check(released == 5, "%d of 5 senders released (stream reset, or the rest of the body taken) within %.0f s;"
                 " slowest %.1f s" % (released, bound, slowest))
    c.close()


# ---------------------------------------------------------------------------------------------


def run_attack(binary, spec):
    report = Report(spec["name"], spec["summary"])
    server = ServerProcess(binary, spec["env"])
    legit = None
    try:
        legit = LegitClients(server.port)
        time.sleep(WARMUP)
        t0 = time.monotonic()
        before = server.window(t0 - WARMUP, t0) or [server.latest()]
        rss_before = statistics.median(s[1] for s in before)
        fds_before = max(s[2] for s in before)
        cpu_before = server.latest()[3]
        try:
            asyncio.run(spec["run"](server, report))
        except Exception as error:  # the attack itself failed: a finding, and every figure still counts
            report.check(False, "the attack stopped: %r" % error)
        t1 = time.monotonic()
        cpu_during = server.latest()[3] - cpu_before
        time.sleep(SETTLE)
        t2 = time.monotonic()
        calls = legit.finish()
        legit = None
        during = server.window(t0, t1) or [server.latest()]
        after = server.window(t2 - 0.5, t2) or [server.latest()]
        rss_peak, fds_peak = max(s[1] for s in during), max(s[2] for s in during)
        rss_after, fds_after = after[-1][1], after[-1][2]
        base = [c[1] for c in calls if c[0] < t0 and c[0] >= t0 - WARMUP and c[2] == 0]
        attack_calls = [c for c in calls if t0 <= c[0] <= t1]
        failed = [c for c in calls if c[0] >= t0 and c[2] != 0]
        p99_before, p99_during = p99(base), p99([c[1] for c in attack_calls if c[2] == 0])
        lines = [(t, p, n) for t, p, n in server.lines if t0 <= t <= t2]
        attack_lines = [(t, p, n) for t, p, n in lines if not (p and p.get("grpc.method") == LEGIT_PATH)]
        warnings = [p for _, p, _ in attack_lines if p is None or p.get("level") in ("warning", "error", "critical")]
        report.figures.update(
            legit_calls=len(attack_calls), legit_failed=len(failed), legit_p99_before_ms=p99_before * 1000,
            legit_p99_during_ms=p99_during * 1000, rss_before=rss_before, rss_peak=rss_peak, rss_after=rss_after,
            fds_before=fds_before, fds_peak=fds_peak, fds_after=fds_after, server_cpu_seconds=cpu_during,
            attack_seconds=t1 - t0, log_lines=len(attack_lines), log_bytes=sum(n for _, _, n in attack_lines),
            warning_lines=len(warnings))
        report.check(not failed and attack_calls, "legitimate calls during the attack: %d, %d failed%s"
                     " (each with a %.0f s deadline)" % (len(attack_calls), len(failed),
                        (" (codes %s)" % sorted({c[2] for c in failed})) if failed else "", LEGIT_TIMEOUT))
        report.note("legitimate p99 %s before, %s during; slowest call during %s"
                    % (ms(p99_before), ms(p99_during), ms(max((c[1] for c in attack_calls), default=float("nan")))))
        report.check(rss_peak <= rss_before + spec["rss_peak_slack"], "RSS %s before, %s peak (bound %s)"
                     % (mib(rss_before), mib(rss_peak), mib(rss_before + spec["rss_peak_slack"])))
        report.check(rss_after <= rss_before + spec["rss_after_slack"], "RSS %s after the attacker left (bound %s)"
                     % (mib(rss_after), mib(rss_before + spec["rss_after_slack"])))
        report.check(fds_after <= fds_before + FDS_AFTER_SLACK, "FDs %d before, %d peak, %d after (bound %d after)"
                     % (fds_before, fds_peak, fds_after, fds_before + FDS_AFTER_SLACK))
        limit = spec["log_lines"](report.figures) if callable(spec["log_lines"]) else spec["log_lines"]
        log_text = "log: %d lines (%d bytes) from the attack, %d at warning or worse; server CPU %.1f s in %.1f s" % (
            len(attack_lines), report.figures["log_bytes"], len(warnings), cpu_during, t1 - t0)
        report.check(len(warnings) <= WARNING_LINES and (limit is None or len(attack_lines) <= limit),
                     log_text + " (bound: %s lines, %d warnings)" % ("-" if limit is None else limit, WARNING_LINES))
        if attack_lines:
            kinds = {}
            for _, p, _ in attack_lines:
                key = "%s %r%s" % (p.get("level"), p.get("message"), (" " + p["grpc.status"]) if "grpc.status" in p else "") \
                    if p else "not JSON"
                kinds[key] = kinds.get(key, 0) + 1
            report.note("log lines: " + ", ".join("%s x%d" % kv for kv in sorted(kinds.items(), key=lambda kv: -kv[1])[:4]))
        if server.process.poll() is not None:
            report.check(False, "the server exited with status %d" % server.process.returncode)
    finally:
        if legit is not None:
            legit.process.kill()
        server.stop()
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", help="the search-server binary (a release build)")
    parser.add_argument("--only", help="comma-separated attack names")
    parser.add_argument("--json", help="write every figure to this file")
    parser.add_argument("--list", action="store_true", help="list the attacks")
    args = parser.parse_args()
    if args.list:
        for spec in ATTACKS:
            print("%-22s %s" % (spec["name"], spec["summary"]))
        return 0
    if not args.server:
        parser.error("--server is required")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    selected = ATTACKS
    if args.only:
        names = args.only.split(",")
        unknown = [n for n in names if n not in {a["name"] for a in ATTACKS}]
        if unknown:
            parser.error("unknown attack(s): %s" % ", ".join(unknown))
        selected = [a for a in ATTACKS if a["name"] in names]
    reports = []
    for spec in selected:
        report = run_attack(args.server, spec)
        report.print()
        reports.append(report)

    print("\n%-22s %8s %8s %9s %9s %6s %6s %7s %6s  %s" % (
        "attack", "p99 bef", "p99 dur", "RSS peak", "RSS aft", "FDpk", "FDaft", "loglns", "cpu s", "result"))
    for r in reports:
        f = r.figures
        if "rss_peak" not in f:
            print("%-22s %s" % (r.name, "no figures"))
            continue
        print("%-22s %8s %8s %9s %9s %6d %6d %7d %6.1f  %s" % (
            r.name, ms(f["legit_p99_before_ms"] / 1000), ms(f["legit_p99_during_ms"] / 1000), mib(f["rss_peak"]),
            mib(f["rss_after"]), f["fds_peak"], f["fds_after"], f["log_lines"], f["server_cpu_seconds"],
            "pass" if r.passed else "FAIL (%d of %d checks)" % (sum(1 for p, _ in r.checks if not p), len(r.checks))))
    if args.json:
        with open(args.json, "w") as out:
            json.dump([dict(name=r.name, passed=r.passed, figures=r.figures,
                            checks=[dict(passed=p, text=t) for p, t in r.checks]) for r in reports], out, indent=1)
    return 0 if all(r.passed for r in reports) else 1


if __name__ == "__main__":
    sys.exit(main())
