// The Node reference for bench/run.sh: a socket.io 4.8 server, default options, speaking the
// tutorial chat contract of DESIGN.md ("Chat events") the way roomcast-server speaks it:
// an HS256 JWT in the CONNECT auth ({"token"}), `join`, `leave`, `message` (to the room except
// the sender, acknowledged), `sendMsgTo` → `privateMsg`. Payload shapes and checks follow
// server/chatserver.cpp so that both servers do the same work per event.
//
//   node server.mjs --port P --secret S
// prints `listening on http://0.0.0.0:P` (the first line, as roomcast-server does).
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import { Server } from "socket.io";

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && at + 1 < process.argv.length ? process.argv[at + 1] : fallback;
}

const port = Number(option("port", "3000"));
const secret = option("secret", "");
const MaxMessageLength = 4000;
const MaxTokenSize = 8192;

function base64urlDecode(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error("malformed token");
  return Buffer.from(text, "base64url");
}

// HS256 with the server's algorithm, never the token's; constant-time signature check; exp/nbf.
function verifyToken(token) {
  if (typeof token !== "string" || token === "") throw new Error("token required");
  if (token.length > MaxTokenSize) throw new Error("token too large");
  const parts = token.split(".");
  if (parts.length !== 3) throw new Error("malformed token");
  let header;
  let claims;
  try {
    header = JSON.parse(base64urlDecode(parts[0]).toString("utf8"));
    claims = JSON.parse(base64urlDecode(parts[1]).toString("utf8"));
  } catch {
    throw new Error("malformed token");
  }
  if (!header || header.alg !== "HS256") throw new Error("algorithm not allowed");
  const expected = createHmac("sha256", secret).update(`${parts[0]}.${parts[1]}`).digest();
  const signature = base64urlDecode(parts[2]);
  if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) throw new Error("bad signature");
  if (!claims || typeof claims !== "object" || Array.isArray(claims)) throw new Error("claims must be an object");
  const now = Date.now() / 1000;
  if (claims.exp !== undefined && (typeof claims.exp !== "number" || now >= claims.exp)) throw new Error("token expired");
  if (claims.nbf !== undefined && (typeof claims.nbf !== "number" || now < claims.nbf)) throw new Error("token not yet valid");
  if (claims.id === undefined) throw new Error("missing claim: id");
  if (typeof claims.name !== "string" || claims.name.trim() === "") throw new Error("missing claim: name");
  return { userId: String(claims.id), name: claims.name.trim().slice(0, 32) };
}

const httpServer = createServer();
const io = new Server(httpServer);
let lastMessageId = 0;

const ok = (fields = {}) => ({ status: "ok", ...fields });
const failure = (error) => ({ status: "error", error });
const answer = (ack, value) => {
  if (typeof ack === "function") ack(value);
};

io.use((socket, next) => {
  try {
    socket.data = secret ? verifyToken(socket.handshake.auth?.token) : { name: String(socket.handshake.auth?.name ?? "") };
    next();
  } catch (error) {
    next(error);
  }
});

io.on("connection", (socket) => {
  const name = socket.data.name || `guest-${socket.id.slice(0, 4)}`;

  socket.on("join", (room, ack) => {
    if (typeof room !== "string" || room === "" || room.length > 64 || room !== room.trim())
      return answer(ack, failure("invalid room name"));
    if (io.of("/").sockets.has(room)) return answer(ack, failure("room name not allowed"));
    socket.join(room);
    answer(ack, ok({ roomName: room }));
  });

  socket.on("leave", (room, ack) => {
    if (!socket.rooms.has(room) || room === socket.id) return answer(ack, failure("not a member"));
    socket.leave(room);
    answer(ack, ok({ roomName: room }));
  });

  socket.on("message", (payload, ack) => {
    const text = payload?.message;
    const room = payload?.roomName;
    if (typeof text !== "string" || text === "") return answer(ack, failure("empty message"));
    if (text.length > MaxMessageLength) return answer(ack, failure("message too long"));
    if (typeof room !== "string" || room === socket.id || !socket.rooms.has(room)) return answer(ack, failure("not a member"));
    const messageId = ++lastMessageId;
    const timestamp = Date.now();
    socket.to(room).emit("message", { name, id: socket.id, message: text, roomName: room, messageId, timestamp });
    answer(ack, ok({ messageId, timestamp }));
  });

  socket.on("sendMsgTo", (payload, ack) => {
    const text = payload?.msg;
    if (typeof text !== "string" || text === "") return answer(ack, failure("empty message"));
    if (text.length > MaxMessageLength) return answer(ack, failure("message too long"));
    const target = io.of("/").sockets.get(payload?.to);
    if (!target) return answer(ack, failure("no such socket"));
    const timestamp = Date.now();
    // to the socket itself, not to a room
    target.emit("privateMsg", { msg: text, from: socket.id, name, timestamp, fromUser: socket.data.userId });
    answer(ack, ok({ delivered: true, timestamp }));
  });
});

httpServer.listen(port, "0.0.0.0", () => {
  console.log(`listening on http://0.0.0.0:${httpServer.address().port}`);
});

const stop = () => {
  io.close();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
