#!/usr/bin/env node
// `digitalocean-typed-fake [--port 4020] [--token …] [--scopes …] [--provision-ms 1000] [--state f.json]
// [--save f.json]` (in the repo: `npm run fake -- …`): the stateful fake DigitalOcean as a standalone server on
// 127.0.0.1, for curl, Terraform or a client in another language. It prints the URL and the token; Ctrl-C stops it
// (and saves).
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { startFakeDigitalOcean, type TokenScopes } from "./index.js";
import { readStateFile } from "./snapshot.js";

const USAGE = `Usage: digitalocean-typed-fake [--port 4020] [--token TOKEN] [--scopes a:read,b:create] [--provision-ms 1000]
                              [--state FILE] [--save FILE]

Serves a stateful fake of the DigitalOcean API on 127.0.0.1, every answer checked against the spec.
  --port N          the port (default 4020; 0 picks a free one)
  --token TOKEN     the token it accepts (default: a new random dop_v1_ token)
  --scopes LIST     what that token may do: scopes separated by commas, "read" (every :read scope) or
                    "full" (default); a request lacking a scope it needs gets a 403
  --provision-ms N  how long new Droplets stay "new", and other resources provision (default 1000)
  --state FILE      start from a state saved by --save or fake.snapshot() (JSON)
  --save FILE       write the state to FILE on exit (Ctrl-C or SIGTERM); the same file as --state keeps an account`;

/** The whole number of option `name`, or `fallback`; a clear error when it is not one. */
function whole(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number))
    throw new Error(`--${name} must be a whole number, got ${value || "nothing"}.`);
  return number;
}

/** `--scopes` as the fake takes it: "full" (also when left out), "read", or the list. */
function scopesOf(value: string | undefined): TokenScopes {
  if (value === undefined || value === "full" || value === "read") return value ?? "full";
  const scopes = value.split(",").map((scope) => scope.trim());
  if (scopes.some((scope) => !scope))
    throw new Error(`--scopes must list scopes separated by commas, got ${value || "nothing"}.`);
  return scopes;
}

try {
  const { values } = parseArgs({
    options: {
      port: { type: "string" },
      token: { type: "string" },
      scopes: { type: "string" },
      "provision-ms": { type: "string" },
      state: { type: "string" },
      save: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const scopes = scopesOf(values.scopes);
  // A scoped token is one of `tokens`; the fake's own full-access token then stays unprinted.
  const scoped = scopes === "full" ? undefined : (values.token ?? `dop_v1_${randomBytes(32).toString("hex")}`);
  const fake = await startFakeDigitalOcean({
    port: whole(values.port, "port", 4020),
    provisionMs: whole(values["provision-ms"], "provision-ms", 1000),
    ...(scoped !== undefined
      ? { tokens: { [scoped]: scopes } }
      : values.token !== undefined
        ? { token: values.token }
        : {}),
    ...(values.state === undefined ? {} : { state: readStateFile(values.state) }),
  });
  const token = scoped ?? fake.token;
  console.log(`Fake DigitalOcean API (stateful, checked against the spec): ${fake.url}`);
  console.log(`Token: ${token}${scoped ? ` (scopes: ${String(scopes)})` : ""}`);
  console.log(`Try: curl -H "Authorization: Bearer ${token}" ${fake.url}/v2/projects/default`);
  console.log(`Or point a client at it: DIGITALOCEAN_API_URL=${fake.url} DIGITALOCEAN_TOKEN=${token}`);
  console.log("Ctrl-C stops it.");
  const { save } = values;
  const stop = () => {
    if (save) writeFileSync(save, `${JSON.stringify(fake.snapshot(), null, 2)}\n`);
    void fake.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop).once("SIGTERM", stop);
} catch (error) {
  console.error(`${(error as Error).message}\n\n${USAGE}`);
  process.exit(1);
}
