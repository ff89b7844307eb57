// Redocly rules for conventions the configurable `rule/…` assertions cannot express.
import { unescapeKey } from "../src/spec.js";

const RATE_LIMIT_HEADERS = ["ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"];

/** Operations on a path with a `{param}` segment must document 404. */
function PathId404() {
  return {
    Operation: {
      enter(operation, { report, location }) {
        // The location is `#/paths/<path>/<method>`.
        const path = unescapeKey(location.pointer.split("/")[2] ?? "");
        if (!/\{[^}]+\}/.test(path)) return;
        if (!operation.responses || !("404" in operation.responses)) {
          report({
            message: `Operation on templated path ${path} must document a 404 response.`,
            location: location.child(["responses"]),
          });
        }
      },
    },
  };
}

/** Every 2XX and 4XX response carries the three rate-limit headers. */
function RateLimitHeaders() {
  return {
    Response: {
      enter(response, { report, location, key }) {
        if (!/^[24]/.test(String(key))) return;
        const headers = response.headers ?? {};
        const missing = RATE_LIMIT_HEADERS.filter((h) => !(h in headers));
        if (missing.length) {
          report({
            message: `Response ${key} is missing rate-limit headers: ${missing.join(", ")}.`,
            location: location.child(["headers"]),
          });
        }
      },
    },
  };
}

export default function doConventions() {
  return {
    id: "do",
    rules: {
      oas3: {
        "path-id-404": PathId404,
        "ratelimit-headers": RateLimitHeaders,
      },
    },
  };
}
