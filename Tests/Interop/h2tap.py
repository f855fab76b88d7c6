"""A transparent TCP relay that watches the HTTP/2 frames passing through it.

grpcio hides the per-message "compressed" flag of the gRPC framing (and even the
grpc-encoding header) from application code, on the server and on the client. The
interop cases about compression need exactly that flag, so the scripts here can put
this relay between the two peers: it copies every byte unchanged in both directions,
and on the side parses the HTTP/2 frames (without TLS only) to note, for each stream,
the compressed flag and length of every length-prefixed gRPC message.

It can also print every frame it sees (`trace=True`), with the header blocks decoded
when the optional `hpack` package is installed; that is a cheap way to see what a peer
puts on the wire.

Ordering guarantee the callers rely on: a chunk of bytes is parsed (and its completed
messages recorded) before it is forwarded, so by the time the receiving gRPC library
hands a message to the application, the relay has already recorded that message.
"""

import socket
import sys
import threading

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"

C2S = "c>s"  # client to server
S2C = "s>c"  # server to client

FRAME_TYPES = {
    0x0: "DATA", 0x1: "HEADERS", 0x2: "PRIORITY", 0x3: "RST_STREAM", 0x4: "SETTINGS",
    0x5: "PUSH_PROMISE", 0x6: "PING", 0x7: "GOAWAY", 0x8: "WINDOW_UPDATE", 0x9: "CONTINUATION",
}
SETTINGS_NAMES = {
    1: "HEADER_TABLE_SIZE", 2: "ENABLE_PUSH", 3: "MAX_CONCURRENT_STREAMS",
    4: "INITIAL_WINDOW_SIZE", 5: "MAX_FRAME_SIZE", 6: "MAX_HEADER_LIST_SIZE",
    8: "ENABLE_CONNECT_PROTOCOL",
}
END_STREAM, ACK, END_HEADERS, PADDED, PRIORITY_FLAG = 0x1, 0x1, 0x4, 0x8, 0x20

try:  # optional: only used to print decoded headers when tracing
    import hpack as _hpack
except ImportError:  # pragma: no cover - depends on the machine
    _hpack = None


def _text(raw):
    """Printable ASCII as is; anything else (binary metadata, UTF-8) as a bytes literal."""
    if all(0x20 <= b < 0x7F for b in raw):
        return raw.decode("ascii")
    return repr(bytes(raw))


def _log(line):
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


class _GrpcMessageState:
    """Splits one stream's DATA bytes into length-prefixed gRPC messages."""

    __slots__ = ("prefix", "remaining", "flag", "length")

    def __init__(self):
        self.prefix = bytearray()
        self.remaining = 0
        self.flag = 0
        self.length = 0


class FrameParser:
    """Parses one direction of an HTTP/2 connection; calls back per gRPC message."""

    def __init__(self, direction, on_message, trace=None):
        self.direction = direction
        self.on_message = on_message  # (direction, stream_id, compressed_flag, length)
        self.trace = trace            # callable(line) or None
        self.buf = bytearray()
        self.need_preface = direction == C2S
        self.broken = False
        self.streams = {}
        self.header_block = None      # (stream_id, flags, bytearray) while CONTINUATIONs follow
        self.decoder = None
        if trace is not None and _hpack is not None:
            self.decoder = _hpack.Decoder()
            self.decoder.max_allowed_table_size = 1 << 20

    def feed(self, data):
        if self.broken:
            return
        self.buf += data
        if self.need_preface:
            if len(self.buf) < len(PREFACE):
                if not PREFACE.startswith(bytes(self.buf)):
                    self._give_up("no HTTP/2 client preface")
                return
            if bytes(self.buf[:len(PREFACE)]) != PREFACE:
                self._give_up("no HTTP/2 client preface")
                return
            del self.buf[:len(PREFACE)]
            self.need_preface = False
            if self.trace:
                self.trace("PREFACE")
        while len(self.buf) >= 9:
            length = int.from_bytes(self.buf[0:3], "big")
            if len(self.buf) < 9 + length:
                break
            ftype = self.buf[3]
            flags = self.buf[4]
            stream_id = int.from_bytes(self.buf[5:9], "big") & 0x7FFFFFFF
            payload = bytes(self.buf[9:9 + length])
            del self.buf[:9 + length]
            try:
                self._frame(ftype, flags, stream_id, payload)
            except Exception as e:  # never let the observer break the relay
                self._give_up("parse error: %r" % (e,))
                return

    def _give_up(self, why):
        self.broken = True
        self.buf = bytearray()
        if self.trace:
            self.trace("stopped parsing: " + why)

    def _frame(self, ftype, flags, stream_id, payload):
        name = FRAME_TYPES.get(ftype, "TYPE_%d" % ftype)
        if ftype == 0x0:
            data = payload
            if flags & PADDED:
                data = payload[1:len(payload) - payload[0]]
            if self.trace:
                self.trace("DATA stream=%d len=%d%s" % (
                    stream_id, len(data), " END_STREAM" if flags & END_STREAM else ""))
            self._data(stream_id, data)
        elif ftype in (0x1, 0x9):
            if ftype == 0x1:
                block = payload
                if flags & PADDED:
                    block = block[1:len(block) - block[0]]
                if flags & PRIORITY_FLAG:
                    block = block[5:]
                self.header_block = (stream_id, flags, bytearray(block))
            elif self.header_block is not None:
                self.header_block[2].extend(payload)
            if flags & END_HEADERS and self.header_block is not None:
                sid, first_flags, block = self.header_block
                self.header_block = None
                if self.trace:
                    self.trace("HEADERS stream=%d%s %s" % (
                        sid, " END_STREAM" if first_flags & END_STREAM else "", self._decode(bytes(block))))
            if ftype == 0x1 and flags & END_STREAM:
                self.streams.pop(stream_id, None)
        elif self.trace:
            self.trace(self._describe(name, flags, stream_id, payload))
        if ftype == 0x3:
            self.streams.pop(stream_id, None)

    def _decode(self, block):
        if self.decoder is None:
            return "(%d bytes of HPACK; install the hpack package to decode)" % len(block)
        try:
            headers = self.decoder.decode(block, raw=True)
        except Exception as e:
            self.decoder = None
            return "(HPACK decode failed: %r; no more decoding on this direction)" % (e,)
        return "[" + ", ".join("%s: %s" % (_text(k), _text(v)) for k, v in headers) + "]"

    @staticmethod
    def _describe(name, flags, stream_id, payload):
        if name == "SETTINGS":
            if flags & ACK:
                return "SETTINGS ACK"
            items = []
            for i in range(0, len(payload) - 5, 6):
                ident = int.from_bytes(payload[i:i + 2], "big")
                value = int.from_bytes(payload[i + 2:i + 6], "big")
                items.append("%s=%d" % (SETTINGS_NAMES.get(ident, "0x%x" % ident), value))
            return "SETTINGS " + " ".join(items)
        if name == "WINDOW_UPDATE":
            return "WINDOW_UPDATE stream=%d increment=%d" % (stream_id, int.from_bytes(payload[:4], "big") & 0x7FFFFFFF)
        if name == "RST_STREAM":
            return "RST_STREAM stream=%d error=%d" % (stream_id, int.from_bytes(payload[:4], "big"))
        if name == "GOAWAY":
            last = int.from_bytes(payload[:4], "big") & 0x7FFFFFFF
            code = int.from_bytes(payload[4:8], "big")
            return "GOAWAY last_stream=%d error=%d debug=%r" % (last, code, payload[8:])
        if name == "PING":
            return "PING%s %s" % (" ACK" if flags & ACK else "", payload.hex())
        return "%s stream=%d flags=0x%x len=%d" % (name, stream_id, flags, len(payload))

    def _data(self, stream_id, data):
        state = self.streams.get(stream_id)
        if state is None:
            state = self.streams[stream_id] = _GrpcMessageState()
        i, n = 0, len(data)
        while i < n:
            if state.remaining > 0:
                take = min(state.remaining, n - i)
                state.remaining -= take
                i += take
                if state.remaining == 0:
                    self._complete(stream_id, state)
                continue
            take = min(5 - len(state.prefix), n - i)
            state.prefix += data[i:i + take]
            i += take
            if len(state.prefix) == 5:
                state.flag = state.prefix[0]
                state.length = int.from_bytes(state.prefix[1:5], "big")
                state.prefix = bytearray()
                state.remaining = state.length
                if state.length == 0:
                    self._complete(stream_id, state)

    def _complete(self, stream_id, state):
        if self.trace:
            self.trace("  grpc message stream=%d compressed=%d length=%d" % (stream_id, state.flag, state.length))
        self.on_message(self.direction, stream_id, state.flag, state.length)


class TapConnection:
    """What the relay saw on one proxied TCP connection."""

    def __init__(self, number):
        self.number = number
        self.upstream_local_port = None
        self._lock = threading.Lock()
        self._flags = {C2S: {}, S2C: {}}      # direction -> stream id -> [flag, ...]
        self._last_stream = {C2S: None, S2C: None}

    def record(self, direction, stream_id, flag, length):
        with self._lock:
            self._flags[direction].setdefault(stream_id, []).append(flag)
            self._last_stream[direction] = stream_id

    def last_stream(self, direction):
        """The stream id whose message in `direction` completed most recently."""
        with self._lock:
            return self._last_stream[direction]

    def flags(self, direction, stream_id):
        """Compressed flags of the messages seen on one stream, in order."""
        with self._lock:
            return list(self._flags[direction].get(stream_id, ()))


class Tap:
    """Listens on (host, port) and relays each connection to (upstream_host, upstream_port)."""

    def __init__(self, host, port, upstream_host, upstream_port, trace=False, name="tap"):
        self.upstream = (upstream_host, upstream_port)
        self.trace = trace
        self.name = name
        self._lock = threading.Lock()
        self._by_upstream_port = {}
        self._connections = []
        self._closed = False
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        family, _, _, _, address = infos[0]
        self._listener = socket.socket(family, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(address)
        self._listener.listen(64)
        self.port = self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._accept_loop, name=name + "-accept", daemon=True)
        self._thread.start()

    def close(self):
        self._closed = True
        try:
            self._listener.close()
        except OSError:
            pass

    def connection_for_upstream_port(self, port):
        with self._lock:
            return self._by_upstream_port.get(port)

    def connection_for_peer(self, peer):
        """Maps a grpcio `context.peer()` string of the upstream side ("ipv4:127.0.0.1:PORT")."""
        try:
            port = int(peer.rsplit(":", 1)[1])
        except (ValueError, IndexError):
            return None
        return self.connection_for_upstream_port(port)

    def latest_connection(self):
        with self._lock:
            return self._connections[-1] if self._connections else None

    def _accept_loop(self):
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), name=self.name + "-conn", daemon=True).start()

    def _serve(self, client):
        with self._lock:
            conn = TapConnection(len(self._connections) + 1)
            self._connections.append(conn)
        try:
            upstream = socket.create_connection(self.upstream)
        except OSError as e:
            if self.trace:
                _log("[%s %d] cannot reach upstream %s:%d: %s" % (self.name, conn.number, self.upstream[0], self.upstream[1], e))
            client.close()
            return
        for s in (client, upstream):
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        conn.upstream_local_port = upstream.getsockname()[1]
        with self._lock:
            self._by_upstream_port[conn.upstream_local_port] = conn
        done = threading.Barrier(2, action=lambda: (client.close(), upstream.close()))
        for src, dst, direction in ((client, upstream, C2S), (upstream, client, S2C)):
            trace = None
            if self.trace:
                prefix = "[%s %d %s] " % (self.name, conn.number, direction)
                trace = (lambda p: (lambda line: _log(p + line)))(prefix)
            parser = FrameParser(direction, conn.record, trace)
            threading.Thread(target=self._pump, args=(src, dst, parser, done),
                             name="%s-%d-%s" % (self.name, conn.number, direction), daemon=True).start()

    @staticmethod
    def _pump(src, dst, parser, done):
        try:
            while True:
                try:
                    data = src.recv(65536)
                except OSError:
                    data = b""
                if not data:
                    try:
                        dst.shutdown(socket.SHUT_WR)
                    except OSError:
                        pass
                    break
                parser.feed(data)
                try:
                    dst.sendall(data)
                except OSError:
                    for s in (src, dst):  # wake the other direction up too
                        try:
                            s.shutdown(socket.SHUT_RDWR)
                        except OSError:
                            pass
                    break
        finally:
            try:
                done.wait()
            except threading.BrokenBarrierError:
                pass
