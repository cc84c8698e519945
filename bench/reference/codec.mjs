// Scenario 4 of bench/run.sh for Node: what roomcast-codecbench times in our engine, timed in
// engine.io-parser and socket.io-parser (the codecs socket.io-client 4.8 runs) for the same
// frames: a small chat message event, one with 64 KiB of text, one with a 64 KiB attachment.
//
//   node codec.mjs [--seconds S]   (per case; default 1)
// prints `figure<TAB>label<TAB>value` lines.
import { decodePacket, encodePacket } from "engine.io-parser";
import { Decoder, Encoder, PacketType } from "socket.io-parser";

const at = process.argv.indexOf("--seconds");
const seconds = at >= 0 ? Number(process.argv[at + 1]) : 1;

const pattern = (size) => {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; ++i) bytes[i] = 97 + (i % 26);
  return bytes;
};

const messageEvent = (text) => ({
  type: PacketType.EVENT,
  nsp: "/",
  data: [
    "message",
    { name: "Alice", id: "Yx3kPq8ZrT2mWn5Lb7Vc", message: text, roomName: "general", messageId: 1234, timestamp: 1764614400000 },
  ],
});

const cases = [
  { name: "small text", packet: messageEvent("hello there, how are you?") },
  { name: "large text", packet: messageEvent(pattern(65536).toString("latin1")) },
  { name: "binary", packet: { type: PacketType.EVENT, nsp: "/", data: ["file", { name: "photo.jpg", data: pattern(65536) }] } },
];

const encoder = new Encoder();

// The frames as a server sends them: Engine.IO text frames, then binary frames.
function framesOf(packet) {
  const frames = [];
  for (const part of encoder.encode(packet))
    encodePacket({ type: "message", data: part }, true, (encoded) => frames.push(encoded));
  return frames;
}

function rate(run) {
  const limit = BigInt(Math.round(seconds * 1e9));
  const start = process.hrtime.bigint();
  let count = 0;
  while (process.hrtime.bigint() - start < limit) {
    for (let i = 0; i < 64; ++i) run();
    count += 64;
  }
  return count / (Number(process.hrtime.bigint() - start) / 1e9);
}

const figure = (label, value) => console.log(`figure\t${label}\t${Math.round(value)}`);

for (const c of cases) {
  const frames = framesOf(c.packet);
  let decoded = 0;
  const decoder = new Decoder();
  decoder.on("decoded", () => ++decoded);
  const decodeRate = rate(() => {
    for (const frame of frames) decoder.add(decodePacket(frame, "nodebuffer").data);
  });
  if (decoded === 0) throw new Error(`nothing decoded for ${c.name}`);
  figure(`client engine: decode ${c.name} (packets/s)`, decodeRate);
  figure(`client engine: encode ${c.name} (packets/s)`, rate(() => framesOf(c.packet)));
}
