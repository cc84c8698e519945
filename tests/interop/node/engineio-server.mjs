// A real engine.io 6.6 server for the Engine.IO client interop tests. It echoes every message
// (text and binary) back to its sender.
// Prints JSON lines: {"event":"listening","port":N} first, then what it observes:
//   {"event":"request","method","path","query","headers","length"}  every HTTP request and
//       WebSocket upgrade request on the engine's path (query without the cache buster `t`)
//   {"event":"connection","id","transport","query","headers"}       a new session
//   {"event":"upgrade","id","transport"}
//   {"event":"message","id","binary","length","data"|"sha256"}     binary data as base64; data
//       is left out above 64 KiB, with a SHA-256 of it instead (hex)
//   {"event":"heartbeat","id"}                                     a pong arrived
//   {"event":"close","id","reason","description"}
// Reads JSON-line commands on stdin (see `commands` below) and answers {"event":"done","cmd"}.
// Off the engine's path it serves a few broken endpoints for error tests (see `brokenRoutes`).
import { createHash } from "node:crypto";
import { createServer as createHttpServer } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { Server } from "engine.io";

const { values: opts } = parseArgs({
  options: {
    port: { type: "string", default: "0" },
    path: { type: "string", default: "/engine.io/" },
    "ping-interval": { type: "string", default: "25000" },
    "ping-timeout": { type: "string", default: "20000" },
    "max-payload": { type: "string", default: "1000000" },
    transports: { type: "string", default: "polling,websocket" },
    "tls-cert": { type: "string" },
    "tls-key": { type: "string" },
  },
});

const print = (object) => process.stdout.write(JSON.stringify(object) + "\n");

const httpServer = opts["tls-cert"]
  ? createHttpsServer({ cert: readFileSync(opts["tls-cert"]), key: readFileSync(opts["tls-key"]) })
  : createHttpServer();

// Requests that are not Engine.IO at all.
const brokenRoutes = {
  // answers the handshake with an open packet that has no sid
  "/bad-handshake/": (req, res) => res.writeHead(200, { "Content-Type": "text/plain; charset=UTF-8" }).end('0{"nope":1}'),
  // answers with something that is not a payload
  "/garbage/": (req, res) => res.writeHead(200, { "Content-Type": "text/plain; charset=UTF-8" }).end("hello"),
  // never answers
  "/hang/": () => {},
};
httpServer.on("request", (req, res) => {
  const path = new URL(req.url, "http://x").pathname;
  const route = brokenRoutes[path];
  if (route) route(req, res);
  else if (!path.startsWith(opts.path)) res.writeHead(404).end();
});

const describeRequest = (req, upgrade) => {
  const url = new URL(req.url, "http://x");
  if (!url.pathname.startsWith(opts.path)) return;
  const query = Object.fromEntries(url.searchParams);
  delete query.t;
  print({ event: "request", method: req.method, upgrade, path: url.pathname, query, headers: req.headers,
          length: Number(req.headers["content-length"] ?? 0) });
};
const transports = opts.transports.split(",");
const engine = new Server({
  pingInterval: Number(opts["ping-interval"]),
  pingTimeout: Number(opts["ping-timeout"]),
  maxHttpBufferSize: Number(opts["max-payload"]),
  transports,
});
engine.attach(httpServer, { path: opts.path });
// Prepended, so that they see every request before the engine does.
httpServer.prependListener("request", (req) => describeRequest(req, false));
httpServer.prependListener("upgrade", (req, socket) => {
  describeRequest(req, true);
  // Without a websocket transport the engine does not listen for upgrades; refuse them as a
  // server without this listener would.
  if (!transports.includes("websocket")) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
});

const describeData = (data = "") => { // an empty text message has no data at all
  const binary = typeof data !== "string";
  const bytes = binary ? Buffer.from(data) : Buffer.from(data, "utf8");
  const out = { binary, length: bytes.length };
  if (bytes.length > 65536) out.sha256 = createHash("sha256").update(bytes).digest("hex");
  else out.data = binary ? bytes.toString("base64") : data;
  return out;
};

engine.on("connection", (socket) => {
  print({ event: "connection", id: socket.id, transport: socket.transport.name, query: socket.request._query,
          headers: socket.request.headers });
  socket.on("upgrade", (transport) => print({ event: "upgrade", id: socket.id, transport: transport.name }));
  socket.on("heartbeat", () => print({ event: "heartbeat", id: socket.id }));
  socket.on("message", (data) => {
    print({ event: "message", id: socket.id, ...describeData(data) });
    socket.send(data);
  });
  socket.on("close", (reason, description) =>
    print({ event: "close", id: socket.id, reason, description: description ? String(description.message ?? description) : undefined }));
});

const sockets = () => Object.values(engine.clients);

// Writes bytes that are not an Engine.IO packet, bypassing the encoder.
const writeRaw = (socket, data) => {
  const transport = socket.transport;
  if (transport.name === "websocket") {
    transport.socket.send(data);
  } else if (transport.writable) {
    transport.writable = false;
    transport.write(data, { compress: false });
  } else {
    transport.once("ready", () => writeRaw(socket, data));
  }
};

const commands = {
  // {"cmd":"send","data":"text"} or {"cmd":"send","data":"<base64>","binary":true}: to every session
  send: (c) => sockets().forEach((s) => s.send(c.binary ? Buffer.from(c.data, "base64") : c.data)),
  // {"cmd":"close"}: closes every session from the server side
  close: () => sockets().forEach((s) => s.close()),
  // {"cmd":"stop-pinging"}: the sessions go silent (no more pings, and no timeout of their own)
  "stop-pinging": () => sockets().forEach((s) => {
    clearTimeout(s.pingIntervalTimer);
    clearTimeout(s.pingTimeoutTimer);
    s.schedulePing = () => {};
    s.resetPingTimeout = () => {};
  }),
  // {"cmd":"raw","data":"..."}: sends bytes that are not Engine.IO to every session
  raw: (c) => sockets().forEach((s) => writeRaw(s, c.data)),
  // {"cmd":"forget"}: drops every session without telling its client (its sid becomes unknown)
  forget: () => sockets().forEach((s) => {
    delete engine.clients[s.id];
    engine.clientsCount--;
  }),
};

const lines = createInterface({ input: process.stdin });
lines.on("close", () => process.exit(0)); // the test that started us is gone
lines.on("line", (line) => {
  try {
    const command = JSON.parse(line);
    commands[command.cmd](command);
    print({ event: "done", cmd: command.cmd });
  } catch (e) {
    print({ event: "command-error", message: String(e) });
  }
});

httpServer.listen(Number(opts.port), "127.0.0.1", () => print({ event: "listening", port: httpServer.address().port }));
