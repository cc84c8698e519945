// What every Node peer script shares: JSON lines on stdout, and binary values carried in JSON
// as {"$binary":"<base64>"} (the convention of roomcast-cli and of the C++ fixtures).
import { createServer as createHttpServer } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";

export const print = (object) => process.stdout.write(JSON.stringify(object) + "\n");

const bytesOf = (value) =>
  value instanceof ArrayBuffer ? Buffer.from(value) : Buffer.from(value.buffer, value.byteOffset, value.byteLength);

//! Buffers (and typed arrays) anywhere in `value` become {"$binary": base64}.
export const toJson = (value) => {
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return { $binary: bytesOf(value).toString("base64") };
  if (Array.isArray(value)) return value.map(toJson);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  return value;
};

//! {"$binary": base64} anywhere in `value` becomes a Buffer.
export const fromJson = (value) => {
  if (Array.isArray(value)) return value.map(fromJson);
  if (value && typeof value === "object") {
    if (typeof value.$binary === "string" && Object.keys(value).length === 1) return Buffer.from(value.$binary, "base64");
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromJson(v)]));
  }
  return value;
};

//! An HTTP server, or HTTPS with the given PEM files.
export const createWebServer = (certPath, keyPath) =>
  certPath ? createHttpsServer({ cert: readFileSync(certPath), key: readFileSync(keyPath) }) : createHttpServer();

//! Runs `commands[line.cmd](line)` for each JSON line on stdin; exits when stdin closes (the
//! test that started us is gone). `after(command)` runs after each command that succeeded.
export const readCommands = (commands, after = () => {}) => {
  const lines = createInterface({ input: process.stdin });
  lines.on("close", () => process.exit(0));
  lines.on("line", (line) => {
    try {
      const command = JSON.parse(line);
      commands[command.cmd](command);
      after(command);
    } catch (e) {
      print({ event: "command-error", message: String(e) });
    }
  });
};
