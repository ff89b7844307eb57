#!/usr/bin/env node
// `digitalocean-typed-fake [--port 4020] [--token …] [--provision-ms 1000]` (in the repo: `npm run fake -- …`): the
// stateful fake DigitalOcean as a standalone server on 127.0.0.1, for curl, Terraform or a client in another
// language. It prints the URL and the token; Ctrl-C stops it.
import { parseArgs } from "node:util";
import { startFakeDigitalOcean } from "./index.js";

const USAGE = `Usage: digitalocean-typed-fake [--port 4020] [--token TOKEN] [--provision-ms 1000]

Serves a stateful fake of the DigitalOcean API on 127.0.0.1, every answer checked against the spec.
  --port N          the port (default 4020; 0 picks a free one)
  --token TOKEN     the one token it accepts (default: a new random dop_v1_ token)
  --provision-ms N  how long new Droplets stay "new", and other resources provision (default 1000)`;

/** The whole number of option `name`, or `fallback`; a clear error when it is not one. */
function whole(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number))
    throw new Error(`--${name} must be a whole number, got ${value || "nothing"}.`);
  return number;
}

try {
  const { values } = parseArgs({
    options: {
      port: { type: "string" },
      token: { type: "string" },
      "provision-ms": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const fake = await startFakeDigitalOcean({
    port: whole(values.port, "port", 4020),
    provisionMs: whole(values["provision-ms"], "provision-ms", 1000),
    ...(values.token === undefined ? {} : { token: values.token }),
  });
  console.log(`Fake DigitalOcean API (stateful, checked against the spec): ${fake.url}`);
  console.log(`Token: ${fake.token}`);
  console.log(`Try: curl -H "Authorization: Bearer ${fake.token}" ${fake.url}/v2/projects/default`);
  console.log(`Or point a client at it: DIGITALOCEAN_API_URL=${fake.url} DIGITALOCEAN_TOKEN=${fake.token}`);
  console.log("Ctrl-C stops it.");
  const stop = () => void fake.close().then(() => process.exit(0));
  process.once("SIGINT", stop).once("SIGTERM", stop);
} catch (error) {
  console.error(`${(error as Error).message}\n\n${USAGE}`);
  process.exit(1);
}
