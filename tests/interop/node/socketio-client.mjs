// Real socket.io-client 4.8 sockets, driven by JSON-line commands on stdin, for the server
// interop tests. Prints {"event":"ready"} first, then what the sockets observe. Binary values
// are written and read as {"$binary":"<base64>"}.
//
// Commands (every one names the client it is for with "client"):
//   {"cmd":"connect","client":"a","url":"http://127.0.0.1:P/nsp","options":{…}}
//       options go to io() as they are (transports, auth, reconnection, …); forceNew is set
//   {"cmd":"emit","client":"a","event":"e","args":[…],"ack":true,"timeout":MS}
//   {"cmd":"disconnect","client":"a"}
//   {"cmd":"answer","client":"a","event":"e","args":[…]}: acknowledge later "e" events with args
import { io } from "socket.io-client";
import { fromJson, print, readCommands, toJson } from "./peer-io.mjs";

const clients = new Map();
const answers = new Map(); // `${client}:${event}` → args

const commands = {
  connect: (c) => {
    const socket = io(c.url, { forceNew: true, ...(c.options ?? {}) });
    clients.set(c.client, socket);
    socket.on("connect", () => print({ event: "connect", client: c.client, id: socket.id, recovered: socket.recovered,
                                       transport: socket.io.engine.transport.name }));
    socket.on("connect_error", (error) => print({ event: "connect_error", client: c.client, message: error.message,
                                                  data: toJson(error.data ?? null) }));
    socket.on("disconnect", (reason) => print({ event: "disconnect", client: c.client, reason }));
    socket.io.engine?.on("upgrade", (transport) => print({ event: "upgrade", client: c.client, transport: transport.name }));
    socket.io.on("open", () => socket.io.engine.on("upgrade", (t) => print({ event: "upgrade", client: c.client, transport: t.name })));
    socket.io.on("reconnect_attempt", (attempt) => print({ event: "reconnect_attempt", client: c.client, attempt }));
    socket.onAny((name, ...args) => {
      const ack = typeof args[args.length - 1] === "function" ? args.pop() : null;
      print({ event: "event", client: c.client, name, args: toJson(args), ack: !!ack });
      const answer = answers.get(`${c.client}:${name}`);
      if (ack && answer) ack(...answer);
    });
  },
  emit: (c) => {
    const socket = clients.get(c.client);
    const args = fromJson(c.args ?? []);
    if (!c.ack) return socket.emit(c.event, ...args);
    const target = c.timeout ? socket.timeout(c.timeout) : socket;
    target.emit(c.event, ...args, (...answer) => {
      if (c.timeout) {
        const error = answer.shift();
        if (error) return print({ event: "ack", client: c.client, for: c.event, error: error.message });
      }
      print({ event: "ack", client: c.client, for: c.event, error: null, args: toJson(answer) });
    });
  },
  disconnect: (c) => clients.get(c.client).disconnect(),
  answer: (c) => {
    answers.set(`${c.client}:${c.event}`, fromJson(c.args ?? []));
    print({ event: "answering", client: c.client, name: c.event });
  },
};

readCommands(commands);
print({ event: "ready" });
