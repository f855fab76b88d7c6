"""A deliberately bare HTTP/2 client for attacking a gRPC server: it writes whatever frames it is
told to, in the order it is told, with no protocol enforcement of its own (h2 would refuse to open
more streams than the server allows, which is one of the attacks), and records everything the
server sends back with the time it arrived.

Frames are built with hyperframe and header blocks with hpack, both from the h2 project.
"""

import asyncio
import struct
import time

from hpack import Decoder, Encoder, NeverIndexedHeaderTuple

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"

# Frame types and flags (RFC 9113 section 6).
DATA, HEADERS, PRIORITY, RST_STREAM, SETTINGS, PUSH_PROMISE, PING, GOAWAY, WINDOW_UPDATE, CONTINUATION = range(10)
END_STREAM, ACK, END_HEADERS, PADDED, PRIORITY_FLAG = 0x1, 0x1, 0x4, 0x8, 0x20

# Error codes (RFC 9113 section 7).
NO_ERROR, PROTOCOL_ERROR, INTERNAL_ERROR, FLOW_CONTROL_ERROR = 0, 1, 2, 3
REFUSED_STREAM, CANCEL, ENHANCE_YOUR_CALM = 7, 8, 11
ERROR_NAMES = {
    0: "NO_ERROR", 1: "PROTOCOL_ERROR", 2: "INTERNAL_ERROR", 3: "FLOW_CONTROL_ERROR", 4: "SETTINGS_TIMEOUT",
    5: "STREAM_CLOSED", 6: "FRAME_SIZE_ERROR", 7: "REFUSED_STREAM", 8: "CANCEL", 9: "COMPRESSION_ERROR",
    10: "CONNECT_ERROR", 11: "ENHANCE_YOUR_CALM", 12: "INADEQUATE_SECURITY", 13: "HTTP_1_1_REQUIRED",
}

SETTINGS_MAX_CONCURRENT_STREAMS = 0x3
SETTINGS_INITIAL_WINDOW_SIZE = 0x4
SETTINGS_MAX_FRAME_SIZE = 0x5


def frame(kind, flags, stream_id, payload=b""):
    """One frame: the 9-byte header, then the payload."""
    n = len(payload)
    return struct.pack(">BHBBI", n >> 16, n & 0xFFFF, kind, flags, stream_id & 0x7FFFFFFF) + payload


def settings_frame(settings=(), ack=False):
    return frame(SETTINGS, ACK if ack else 0, 0, b"".join(struct.pack(">HI", k, v) for k, v in settings))


def rst_frame(stream_id, code):
    return frame(RST_STREAM, 0, stream_id, struct.pack(">I", code))


def window_update_frame(stream_id, increment):
    return frame(WINDOW_UPDATE, 0, stream_id, struct.pack(">I", increment))


def goaway_frame(last_stream_id, code):
    return frame(GOAWAY, 0, 0, struct.pack(">II", last_stream_id, code))


def grpc_message(payload, compressed=False, declared_length=None):
    """A gRPC length-prefixed message; `declared_length` lets the prefix lie."""
    length = len(payload) if declared_length is None else declared_length
    return struct.pack(">BI", 1 if compressed else 0, length) + payload


def request_headers(path, authority="localhost", timeout=None, extra=()):
    """The headers of a gRPC request, as (name, value) pairs."""
    headers = [
        (":method", "POST"), (":scheme", "http"), (":path", path), (":authority", authority),
        ("content-type", "application/grpc"), ("te", "trailers"),
    ]
    if timeout is not None:
        headers.append(("grpc-timeout", timeout))
    headers.extend(extra)
    return headers


def stateless_header_block(headers):
    """A header block that leaves HPACK's dynamic table alone (every literal is never-indexed),
    so the same bytes can open any number of streams on any connection."""
    return Encoder().encode([NeverIndexedHeaderTuple(n, v) for n, v in headers])


class Stream:
    """What the server sent on one stream."""

    def __init__(self, stream_id):
        self.id = stream_id
        self.opened = time.monotonic()
        self.headers = []          # each header block, as a dict
        self.data = 0              # DATA bytes received
        self.ended = None          # time of END_STREAM from the server
        self.reset = None          # (time, error code) of RST_STREAM from the server
        self.send_window = 0

    @property
    def grpc_status(self):
        for block in reversed(self.headers):
            if "grpc-status" in block:
                return int(block["grpc-status"])
        return None

    @property
    def finished(self):
        return self.ended is not None or self.reset is not None

    @property
    def finished_at(self):
        times = [t for t in (self.ended, self.reset[0] if self.reset else None) if t is not None]
        return min(times) if times else None


class Connection:
    """One TCP connection speaking HTTP/2 as a client, with a task reading and recording the
    server's frames. Answers SETTINGS and PING, returns flow-control credit for what it reads
    (unless told not to) and keeps track of the send windows; beyond that it obeys no rule."""

    def __init__(self, reader, writer, ack_pings=True, grant_window=True):
        self.reader, self.writer = reader, writer
        self.ack_pings, self.grant_window = ack_pings, grant_window
        self.encoder, self.decoder = Encoder(), Decoder()
        self.streams = {}
        self.goaway = None          # (time, last stream id, error code)
        self.closed = None          # time the server closed the connection (EOF or reset)
        self.read_error = None      # the error reading ended with, if it did not end with EOF
        self.server_settings = {}
        self.settings_received = asyncio.Event()
        self.connection_window = 65535
        self.initial_stream_window = 65535
        self.window_changed = asyncio.Event()
        self.next_stream_id = 1
        self.frames_received = 0
        self._pending_headers = None
        self._task = asyncio.ensure_future(self._read())

    @classmethod
    async def open(cls, host, port, preface=True, **options):
        reader, writer = await asyncio.open_connection(host, port, limit=1 << 20)
        connection = cls(reader, writer, **options)
        if preface:
            connection.send(PREFACE + settings_frame([(SETTINGS_INITIAL_WINDOW_SIZE, 1 << 24)]))
            connection.send(window_update_frame(0, (1 << 30)))
        return connection

    def send(self, data):
        if not self.writer.is_closing():
            self.writer.write(data)

    async def drain(self):
        try:
            await self.writer.drain()
        except (ConnectionError, OSError):
            pass

    def new_stream_id(self):
        stream_id = self.next_stream_id
        self.next_stream_id += 2
        self.streams[stream_id] = Stream(stream_id)
        self.streams[stream_id].send_window = self.initial_stream_window
        return stream_id

    def open_stream(self, headers, end_stream=False, stream_id=None):
        """Sends HEADERS for a new stream (END_STREAM if asked) and returns its ID."""
        stream_id = stream_id or self.new_stream_id()
        block = self.encoder.encode(headers)
        self.send(frame(HEADERS, END_HEADERS | (END_STREAM if end_stream else 0), stream_id, block))
        return stream_id

    def send_data_now(self, stream_id, data, end_stream=False, max_frame=16384):
        """Sends DATA frames at once, ignoring flow control."""
        chunks = [data[i:i + max_frame] for i in range(0, len(data), max_frame)] or [b""]
        for i, chunk in enumerate(chunks):
            last = i == len(chunks) - 1
            self.send(frame(DATA, END_STREAM if (end_stream and last) else 0, stream_id, chunk))
        stream = self.streams.get(stream_id)
        if stream:
            stream.send_window -= len(data)
        self.connection_window -= len(data)

    async def send_data(self, stream_id, data, end_stream=False, max_frame=16384, stall_timeout=None,
                        after_response=False):
        """Sends DATA as flow control allows. Returns the number of bytes sent, which is less than
        len(data) if no window opened for `stall_timeout` seconds, or the stream ended: when the
        server reset it, or (unless `after_response`) when the server finished its response."""
        sent = 0
        stream = self.streams[stream_id]
        while sent < len(data) or (end_stream and sent == len(data) == 0):
            if stream.reset is not None or self.closed is not None:
                return sent
            if stream.ended is not None and not after_response:
                return sent
            room = min(self.connection_window, stream.send_window, max_frame, len(data) - sent)
            if room <= 0 and len(data) > 0:
                self.window_changed.clear()
                try:
                    await asyncio.wait_for(self.window_changed.wait(), stall_timeout)
                except asyncio.TimeoutError:
                    return sent
                continue
            chunk = data[sent:sent + room]
            sent += len(chunk)
            last = end_stream and sent == len(data)
            self.send(frame(DATA, END_STREAM if last else 0, stream_id, chunk))
            stream.send_window -= len(chunk)
            self.connection_window -= len(chunk)
            # A server that stops reading the socket holds the sender here, in TCP.
            try:
                await asyncio.wait_for(self.drain(), stall_timeout)
            except asyncio.TimeoutError:
                return sent
            if len(data) == 0:
                break
        return sent

    def reset_stream(self, stream_id, code=CANCEL):
        self.send(rst_frame(stream_id, code))

    async def wait_settings(self, timeout=5):
        await asyncio.wait_for(self.settings_received.wait(), timeout)

    async def wait_closed(self, timeout):
        """Waits for the server to close the connection; True if it did within `timeout`."""
        try:
            await asyncio.wait_for(asyncio.shield(self._task), timeout)
        except asyncio.TimeoutError:
            pass
        return self.closed is not None

    async def wait_streams(self, stream_ids, timeout):
        """Waits until each stream has ended or been reset by the server, or `timeout` passes."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.closed is None:
            if all(self.streams[s].finished for s in stream_ids):
                return True
            await asyncio.sleep(0.02)
        return all(self.streams[s].finished for s in stream_ids)

    def close(self):
        try:
            self.writer.close()
        except Exception:
            pass
        self._task.cancel()

    async def _read(self):
        try:
            while True:
                header = await self.reader.readexactly(9)
                length = (header[0] << 16) | (header[1] << 8) | header[2]
                kind, flags = header[3], header[4]
                stream_id = struct.unpack(">I", header[5:9])[0] & 0x7FFFFFFF
                payload = await self.reader.readexactly(length) if length else b""
                self.frames_received += 1
                self._handle(kind, flags, stream_id, payload)
        except asyncio.IncompleteReadError:
            self.closed = time.monotonic()
        except (ConnectionError, OSError) as error:
            self.read_error = error
            self.closed = time.monotonic()
        except asyncio.CancelledError:
            pass
        finally:
            self.window_changed.set()

    def _handle(self, kind, flags, stream_id, payload):
        now = time.monotonic()
        stream = self.streams.get(stream_id)
        if kind == SETTINGS and not flags & ACK:
            for i in range(0, len(payload), 6):
                key, value = struct.unpack(">HI", payload[i:i + 6])
                self.server_settings[key] = value
                if key == SETTINGS_INITIAL_WINDOW_SIZE:
                    delta = value - self.initial_stream_window
                    self.initial_stream_window = value
                    for s in self.streams.values():
                        s.send_window += delta
            self.send(settings_frame(ack=True))
            self.settings_received.set()
            self.window_changed.set()
        elif kind == PING and not flags & ACK:
            if self.ack_pings:
                self.send(frame(PING, ACK, 0, payload))
        elif kind == GOAWAY:
            last, code = struct.unpack(">II", payload[:8])
            self.goaway = (now, last & 0x7FFFFFFF, code)
        elif kind == WINDOW_UPDATE:
            increment = struct.unpack(">I", payload)[0] & 0x7FFFFFFF
            if stream_id == 0:
                self.connection_window += increment
            elif stream:
                stream.send_window += increment
            self.window_changed.set()
        elif kind == RST_STREAM:
            if stream and stream.reset is None:
                stream.reset = (now, struct.unpack(">I", payload)[0])
            self.window_changed.set()
        elif kind in (HEADERS, CONTINUATION):
            if kind == HEADERS:
                if flags & PADDED:
                    payload = payload[1:len(payload) - payload[0]]
                if flags & PRIORITY_FLAG:
                    payload = payload[5:]
                self._pending_headers = (stream_id, flags & END_STREAM, bytearray(payload))
            else:
                self._pending_headers[2].extend(payload)
            if flags & END_HEADERS:
                sid, end, block = self._pending_headers
                self._pending_headers = None
                decoded = {n if isinstance(n, str) else n.decode(): v if isinstance(v, str) else v.decode()
                           for n, v in self.decoder.decode(bytes(block))}
                target = self.streams.get(sid)
                if target:
                    target.headers.append(decoded)
                    if end:
                        target.ended = now
        elif kind == DATA:
            if stream:
                stream.data += len(payload)
                if flags & END_STREAM:
                    stream.ended = now
            if self.grant_window and payload:
                self.send(window_update_frame(0, len(payload)))
                if stream and not flags & END_STREAM:
                    self.send(window_update_frame(stream_id, len(payload)))
