// The change report printed after a regeneration: what the new generated/openapi.yaml changes for client users.
// The differ lives in ./diff.mjs (`npm run diff`); until it is there, no report is printed.
export async function changeReport(baseYaml, headYaml) {
  const diff = await import("./diff.mjs").catch((err) => {
    if (err?.code === "ERR_MODULE_NOT_FOUND" && /diff\.mjs'/.test(err.message)) return undefined;
    throw err;
  });
  if (!diff) return undefined;
  const { parse } = await import("yaml");
  return diff.formatReport(await diff.diffSpecs(parse(baseYaml), parse(headYaml)), "text");
}
