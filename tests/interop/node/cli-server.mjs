// A real socket.io 4.8 server for the roomcast-cli tests (tests/interop/cli).
// Prints JSON lines: {"event":"listening","port":N} first, then what it observes. Binary values
// are printed as {"$binary":"<base64>"}, as roomcast-cli writes them.
//   namespaces: "/", "/admin", and "/private" whose middleware wants auth {"token":"let-me-in"}
//   events: echo (emits "echo" back with the same args), echo-ack (acks with the same args),
//   ack-later [ms, …] (acks after ms), never-ack, binary-please (emits "binary" with nested
//   buffers), ask-client [timeoutMs, …] (emits "question" with an ack request, prints the
//   answer), transport (acks with the transport's name), disconnect-me (disconnects the socket)
import { parseArgs } from "node:util";
import { Server } from "socket.io";
import { createWebServer, print, readCommands, toJson } from "./peer-io.mjs";

const { values: opts } = parseArgs({
  options: {
    port: { type: "string", default: "0" },
    "tls-cert": { type: "string" },
    "tls-key": { type: "string" },
  },
});

const httpServer = createWebServer(opts["tls-cert"], opts["tls-key"]);

const io = new Server(httpServer);

io.engine.on("connection", (conn) => {
  print({ event: "engine-connection", engine: conn.id, transport: conn.transport.name });
  conn.on("upgrade", (transport) => print({ event: "upgrade", engine: conn.id, transport: transport.name }));
});

const onConnection = (socket) => {
  const nsp = socket.nsp.name;
  print({ event: "connection", nsp, id: socket.id, auth: toJson(socket.handshake.auth), engine: socket.conn.id,
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
      case "ask-client":
        socket.timeout(Number(args[0]) || 5000).emit("question", ...args.slice(1), (err, ...answer) =>
          print({ event: "client-answer", nsp, error: err ? err.message : null, args: toJson(answer) }));
        break;
      case "transport": ack?.(socket.conn.transport.name); break;
      case "disconnect-me": socket.disconnect(); break;
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

readCommands({}); // no commands; exits when the test that started us is gone

httpServer.listen(Number(opts.port), "127.0.0.1", () => print({ event: "listening", port: httpServer.address().port }));
