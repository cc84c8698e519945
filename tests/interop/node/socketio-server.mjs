// A real socket.io 4.8 server for the Socket.IO client and roomcast-cli interop tests.
// Prints JSON lines: {"event":"listening","port":N} first, then what it observes. Reads
// JSON-line commands on stdin (see `commands` below). Binary values are written and read as
// {"$binary":"<base64>"}, as roomcast-cli writes them.
//   namespaces: "/", "/admin", and "/private" whose middleware wants auth {"token":"let-me-in"}
//   events: echo (emits "echo" back with the same args), echo-ack (acks with the same args),
//   ack-later [ms, …] (acks after ms), never-ack, binary-please (emits "binary" with nested
//   buffers), ask-client [timeoutMs, …] (emits "question" with an ack request, prints the
//   answer), transport (acks with the transport's name), disconnect-me, close-my-connection,
//   broadcast (to the whole namespace)
import { parseArgs } from "node:util";
import { Server } from "socket.io";
import { createWebServer, fromJson, print, readCommands, toJson } from "./peer-io.mjs";

const { values: opts } = parseArgs({
  options: {
    port: { type: "string", default: "0" },
    path: { type: "string", default: "/socket.io/" },
    "ping-interval": { type: "string", default: "25000" },
    "ping-timeout": { type: "string", default: "20000" },
    transports: { type: "string", default: "polling,websocket" },
    recovery: { type: "boolean", default: false },
    "tls-cert": { type: "string" },
    "tls-key": { type: "string" },
  },
});

const httpServer = createWebServer(opts["tls-cert"], opts["tls-key"]);

const io = new Server(httpServer, {
  path: opts.path,
  pingInterval: Number(opts["ping-interval"]),
  pingTimeout: Number(opts["ping-timeout"]),
  transports: opts.transports.split(","),
  connectionStateRecovery: opts.recovery ? { maxDisconnectionDuration: 60000, skipMiddlewares: true } : undefined,
});

io.engine.on("connection", (conn) => {
  print({ event: "engine-connection", engine: conn.id, transport: conn.transport.name, query: conn.request._query,
          headers: conn.request.headers });
  conn.on("upgrade", (transport) => print({ event: "upgrade", engine: conn.id, transport: transport.name }));
});

const onConnection = (socket) => {
  const nsp = socket.nsp.name;
  print({ event: "connection", nsp, id: socket.id, auth: toJson(socket.handshake.auth), engine: socket.conn.id,
          recovered: socket.recovered,
          transport: socket.conn.transport.name });
  socket.on("disconnect", (reason) => print({ event: "disconnect", nsp, id: socket.id, reason }));
  socket.onAny((name, ...args) => {
    const hasAck = typeof args[args.length - 1] === "function";
    const ack = hasAck ? args.pop() : null;
    print({ event: "received", nsp, id: socket.id, name, args: toJson(args), ack: hasAck });
    switch (name) {
      case "echo": socket.emit("echo", ...args); break;
      case "echo-ack": ack?.(...args); break;
      case "ack-later": setTimeout(() => ack?.(...args), Number(args[0]) || 0); break;
      case "never-ack": break;
      case "binary-please":
        socket.emit("binary", { nested: [Buffer.from([0, 1, 2, 255])], text: "bytes" }, Buffer.from("hello"));
        break;
      case "transport": ack?.(socket.conn.transport.name); break;
      case "ask-client":
        socket.timeout(Number(args[0]) || 5000).emit("question", ...args.slice(1), (err, ...answer) =>
          print({ event: "client-answer", nsp, error: err ? err.message : null, args: toJson(answer) }));
        break;
      case "disconnect-me": socket.disconnect(); break;
      case "close-my-connection": socket.conn.close(); break;
      case "broadcast": io.of(nsp).emit("broadcast", ...args); break;
    }
  });
};

io.on("connection", onConnection);
io.of("/admin").on("connection", onConnection);
const privateNsp = io.of("/private");
privateNsp.use((socket, next) => {
  if (socket.handshake.auth?.token === "let-me-in") return next();
  const error = new Error("not authorized");
  error.data = { code: 401, reason: socket.handshake.auth?.token ? "bad token" : "no token" };
  next(error);
});
privateNsp.on("connection", onConnection);

const commands = {
  // {"cmd":"emit","nsp":"/","event":"e","args":[…]}: to every socket of the namespace
  emit: (c) => io.of(c.nsp ?? "/").emit(c.event, ...fromJson(c.args ?? [])),
  // {"cmd":"drop-and-emit","nsp":"/","event":"e","args":[…]}: cuts every connection (a
  // recoverable "forced close"), then emits to the namespace while the clients are away
  "drop-and-emit": (c) => {
    for (const socket of io.of(c.nsp ?? "/").sockets.values()) socket.conn.close();
    setTimeout(() => {
      io.of(c.nsp ?? "/").emit(c.event, ...fromJson(c.args ?? []));
      print({ event: "emitted-while-away" });
    }, 50);
  },
  "disconnect-all": (c) => io.of(c.nsp ?? "/").disconnectSockets(),
};

readCommands(commands, (command) => print({ event: "done", cmd: command.cmd }));

httpServer.listen(Number(opts.port), "127.0.0.1", () => print({ event: "listening", port: httpServer.address().port }));
