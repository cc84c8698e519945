// Real engine.io-client 6.6 sessions for the Engine.IO server interop tests. It drives any
// number of clients, each named by an "id" chosen by the test.
// Prints {"event":"listening","port":N} first (N is the --port it was given: it listens to no
// port, but NodePeer waits for that line before sending commands), then what it observes:
//   {"event":"open","id","sid","transport"}
//   {"event":"handshake","id","data"}              the server's open packet, parsed
//   {"event":"upgrading","id","transport"}  {"event":"upgrade","id","transport"}
//   {"event":"upgradeError","id","message"}
//   {"event":"message","id","data"} or {"event":"message","id","binary":"<base64>"}
//   {"event":"ping","id"}                           a ping from the server (answered by the client)
//   {"event":"error","id","message"}
//   {"event":"close","id","reason","description"}
// Reads JSON-line commands on stdin (see `commands` below) and answers {"event":"done","cmd","id"}.
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { Socket } from "engine.io-client";

const { values: opts } = parseArgs({
  options: {
    port: { type: "string", default: "0" },
  },
});

const print = (object) => process.stdout.write(JSON.stringify(object) + "\n");

const describe = (value) => (value instanceof Error ? value.message : value === undefined ? null : String(value?.message ?? value));

const clients = new Map();

const commands = {
  // {"cmd":"open","id":"a","url":"http://127.0.0.1:P","path":"/engine.io/",
  //  "transports":["polling","websocket"],"upgrade":true,"query":{…},"extraHeaders":{…},"ca":"PEM"}
  open: (c) => {
    const socket = new Socket(c.url, {
      path: c.path ?? "/engine.io/",
      transports: c.transports ?? ["polling", "websocket"],
      upgrade: c.upgrade ?? true,
      rememberUpgrade: false,
      query: c.query ?? {},
      extraHeaders: c.extraHeaders ?? {},
      ca: c.ca,
      rejectUnauthorized: c.ca ? true : undefined,
    });
    socket.binaryType = "nodebuffer";
    clients.set(c.id, socket);
    const id = c.id;
    socket.on("handshake", (data) => print({ event: "handshake", id, data }));
    socket.on("open", () => print({ event: "open", id, sid: socket.id, transport: socket.transport.name }));
    socket.on("upgrading", (transport) => print({ event: "upgrading", id, transport: transport.name }));
    socket.on("upgrade", (transport) => print({ event: "upgrade", id, transport: transport.name }));
    socket.on("upgradeError", (error) => print({ event: "upgradeError", id, message: describe(error) }));
    // An empty text message (a bare "4") arrives as undefined.
    socket.on("message", (data) =>
      print(data === undefined || typeof data === "string"
        ? { event: "message", id, data: data ?? "" }
        : { event: "message", id, binary: Buffer.from(data).toString("base64") }));
    socket.on("ping", () => print({ event: "ping", id }));
    socket.on("error", (error) => print({ event: "error", id, message: describe(error) }));
    socket.on("close", (reason, description) => {
      print({ event: "close", id, reason, description: describe(description?.description ?? description) });
      clients.delete(id);
    });
  },
  // {"cmd":"send","id":"a","data":"text"} or {"cmd":"send","id":"a","binary":"<base64>"}; with
  // "messages":[…] (each {"data"} or {"binary"}), several in a row, in order.
  send: (c) => {
    const socket = clients.get(c.id);
    for (const m of c.messages ?? [c]) socket.send(m.binary !== undefined ? Buffer.from(m.binary, "base64") : m.data);
  },
  // {"cmd":"close","id":"a"}
  close: (c) => clients.get(c.id)?.close(),
};

const lines = createInterface({ input: process.stdin });
lines.on("close", () => process.exit(0)); // the test that started us is gone
lines.on("line", (line) => {
  let command;
  try {
    command = JSON.parse(line);
    commands[command.cmd](command);
    print({ event: "done", cmd: command.cmd, id: command.id });
  } catch (e) {
    print({ event: "command-error", message: String(e), cmd: command?.cmd });
  }
});

print({ event: "listening", port: Number(opts.port) });
