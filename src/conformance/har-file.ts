// Reads a HAR file an entry at a time, so that what it costs is bounded by its largest entry, not by the file:
// JSON.parse needs the whole file as one string, and V8 refuses strings over about 512 MB.
import { closeSync, openSync, readSync } from "node:fs";

const CHUNK = 1 << 20;
const [QUOTE, BACKSLASH, COMMA, COLON] = [0x22, 0x5c, 0x2c, 0x3a];
const [OPEN_OBJECT, CLOSE_OBJECT, OPEN_ARRAY, CLOSE_ARRAY] = [0x7b, 0x7d, 0x5b, 0x5d];
const isSpace = (byte: number) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

/** Why a file is not a HAR file, in words for `<file> is not a HAR file: …`. */
export class HarFileError extends Error {}

/** The bytes of a file, a chunk at a time. */
class Bytes {
  private buffer = Buffer.alloc(CHUNK);
  private at = 0;
  private end = 0;
  constructor(private readonly fd: number) {}

  /** The next byte without taking it, or -1 at the end of the file. */
  peek(): number {
    if (this.at === this.end && !this.fill()) return -1;
    return this.buffer[this.at]!;
  }

  private fill(): boolean {
    this.end = readSync(this.fd, this.buffer, 0, CHUNK, null);
    this.at = 0;
    return this.end > 0;
  }

  /** Skips whitespace; the next byte, or -1 at the end. */
  space(): number {
    let byte = this.peek();
    while (isSpace(byte)) {
      this.at++;
      byte = this.peek();
    }
    return byte;
  }

  /** Takes `byte`, after whitespace; false (and takes nothing) when the next byte is another. */
  take(byte: number): boolean {
    if (this.space() !== byte) return false;
    this.at++;
    return true;
  }

  /** The text of the next JSON value, found by its brackets and quotes; JSON.parse says whether it is valid. */
  value(): string {
    const first = this.space();
    if (first === -1) throw new HarFileError("it is not JSON: it ends early");
    const pieces: Buffer[] = [];
    const scalar = first !== OPEN_OBJECT && first !== OPEN_ARRAY && first !== QUOTE;
    let [depth, inString, escaped, start] = [0, false, false, this.at];
    for (;;) {
      if (this.at === this.end) {
        pieces.push(Buffer.from(this.buffer.subarray(start, this.end)));
        if (!this.fill()) {
          if (scalar) break;
          throw new HarFileError("it is not JSON: it ends early");
        }
        start = 0;
      }
      if (inString) {
        // Strings are most of a HAR (bodies): jump to the next quote or backslash rather than step.
        if (escaped) escaped = false;
        else {
          const quote = this.find(QUOTE);
          const backslash = this.find(BACKSLASH);
          this.at = Math.min(quote, backslash);
          if (this.at === this.end) continue;
          if (this.at === backslash) escaped = true;
          else inString = false;
        }
        this.at++;
        if (!inString && !scalar && depth === 0) break;
        continue;
      }
      const byte = this.buffer[this.at]!;
      if (byte === QUOTE) inString = true;
      else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) depth++;
      else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) depth--;
      else if (scalar && (byte === COMMA || isSpace(byte))) break;
      if (depth < 0) break; // a scalar's container closing
      this.at++;
      if (!scalar && depth === 0 && !inString) break;
    }
    pieces.push(this.buffer.subarray(start, this.at));
    const size = pieces.reduce((n, piece) => n + piece.length, 0);
    try {
      return Buffer.concat(pieces, size).toString("utf8");
    } catch {
      throw new HarFileError(`it holds a value of ${size} bytes, more than one string can hold`);
    }
  }

  /** Where `byte` is next in the chunk, or its end. */
  private find(byte: number): number {
    const found = this.buffer.indexOf(byte, this.at);
    return found === -1 || found >= this.end ? this.end : found;
  }

  /** The next JSON value, parsed. */
  parsed(): unknown {
    try {
      return JSON.parse(this.value());
    } catch (error) {
      if (error instanceof HarFileError) throw error;
      throw new HarFileError("it is not JSON");
    }
  }
}

/**
 * The values of `log.entries` in the HAR file `file`, parsed one at a time; everything else in the file is parsed
 * and set aside. Throws a {@link HarFileError} when the file is not JSON or has no `log.entries` array, and the
 * file system's error when it cannot be read.
 */
export function* harEntries(file: string): Generator<unknown> {
  const fd = openSync(file, "r");
  try {
    const bytes = new Bytes(fd);
    // A UTF-8 byte order mark, as some editors save JSON.
    if (bytes.peek() === 0xef && ![0xef, 0xbb, 0xbf].every((byte) => bytes.take(byte))) throw notJson();
    let found = false;
    for (const key of keys(bytes)) {
      if (key !== "log" || bytes.space() !== OPEN_OBJECT) {
        bytes.parsed();
        continue;
      }
      for (const inner of keys(bytes)) {
        if (inner !== "entries" || !bytes.take(OPEN_ARRAY)) {
          bytes.parsed();
          continue;
        }
        found = true;
        if (bytes.take(CLOSE_ARRAY)) continue;
        let index = 0;
        try {
          for (;;) {
            yield bytes.parsed();
            if (!bytes.take(COMMA)) break;
            index++;
          }
          if (!bytes.take(CLOSE_ARRAY)) throw notJson();
        } catch (error) {
          throw error instanceof HarFileError ? new HarFileError(`entry ${index}: ${error.message}`) : error;
        }
      }
    }
    if (bytes.space() !== -1) throw notJson();
    if (!found) throw new HarFileError("no log.entries array");
  } finally {
    closeSync(fd);
  }
}

const notJson = () => new HarFileError("it is not JSON");

/** The keys of the object that starts next, each once its `:` is taken; the caller takes each value. */
function* keys(bytes: Bytes): Generator<string> {
  if (bytes.space() !== OPEN_OBJECT) {
    // JSON that is not an object (or not JSON at all): which of the two the parse says.
    bytes.parsed();
    throw new HarFileError("no log.entries array");
  }
  bytes.take(OPEN_OBJECT);
  if (bytes.take(CLOSE_OBJECT)) return;
  do {
    const key = bytes.parsed();
    if (typeof key !== "string" || !bytes.take(COLON)) throw notJson();
    yield key;
  } while (bytes.take(COMMA));
  if (!bytes.take(CLOSE_OBJECT)) throw notJson();
}
