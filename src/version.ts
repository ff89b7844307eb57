// Written by npm run release from package.json (test/release.test.ts checks that they agree).
export const VERSION = "0.2.0";
