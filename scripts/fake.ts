// `npm run fake [-- --port 4020] [-- --provision-ms 1000]`: the stateful fake DigitalOcean (src/testing/) as a
// standalone server on 127.0.0.1, for curl, Terraform or a client in another language. Ctrl-C stops it.
import { startFakeDigitalOcean } from "../src/testing/index.js";

/** The number after `--name`, or `fallback`; a clear error when it is not a whole number. */
function numberOption(argv: string[], name: string, fallback: number): number {
  const at = argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(argv[at + 1]);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`--${name} must be a whole number, got ${argv[at + 1] ?? "nothing"}.`);
  return value;
}

try {
  const argv = process.argv.slice(2);
  const fake = await startFakeDigitalOcean({
    port: numberOption(argv, "port", 4020),
    provisionMs: numberOption(argv, "provision-ms", 1000),
  });
  console.log(`Fake DigitalOcean API (stateful, checked against generated/openapi.yaml): ${fake.url}`);
  console.log(`Token: ${fake.token}`);
  console.log(`Try: curl -H "Authorization: Bearer ${fake.token}" ${fake.url}/v2/projects/default`);
  console.log("Ctrl-C stops it.");
  const stop = () => void fake.close().then(() => process.exit(0));
  process.once("SIGINT", stop).once("SIGTERM", stop);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
