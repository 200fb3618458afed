// Checks connect.yaml with commercetools Connect's own specification, the schema its
// validator applies, then what Connect needs in each application directory it names: a
// package.json whose build, start and test scripts run with npm alone, and its lockfile. Before that, it
// makes sure the check can fail: wrong files are refused, each with the field's path.
//
//   node scripts/connect/validate.mjs [connect.yaml]
import { ConnectorSpecificationParser } from "@commercetools-connect/specification";
import { readFileSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYAML, stringify } from "yaml";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const file = resolve(process.argv[2] ?? join(root, "connect.yaml"));
const text = readFileSync(file, "utf8");
const parser = new ConnectorSpecificationParser();

// refused parses a changed copy of the file and returns the parser's message, or fails
// when the wrong file is accepted.
async function refused(what, change) {
  const doc = parseYAML(text);
  change(doc);
  try {
    await parser.parse(stringify(doc));
  } catch (err) {
    return err.message;
  }
  throw new Error(`the specification accepted a connect.yaml with ${what}`);
}

function expectPath(message, path) {
  if (!message.includes(`[${path}]`)) {
    throw new Error(`the refusal does not name ${path}: ${message}`);
  }
}

const processorIndex = parseYAML(text).deployAs.findIndex((a) => a.name === "processor");
expectPath(await refused("an unknown application type", (d) => { d.deployAs[processorIndex].applicationType = "servce"; }),
  `deployAs.${processorIndex}.applicationType`);
expectPath(await refused("the reserved key PORT", (d) => {
  d.deployAs[processorIndex].configuration.standardConfiguration.push({ key: "PORT", description: "listen port" });
}), `deployAs.${processorIndex}.configuration.standardConfiguration.${parseYAML(text).deployAs[processorIndex].configuration.standardConfiguration.length}.key`);
expectPath(await refused("a key without a description", (d) => {
  delete d.deployAs[processorIndex].configuration.securedConfiguration[0].description;
}), `deployAs.${processorIndex}.configuration.securedConfiguration.0.description`);
console.log("wrong connect.yaml files are refused with the field's path");

const spec = await parser.parse(text);
const problems = [];
for (const app of spec.deployAs) {
  const pkgFile = join(root, app.name, "package.json");
  if (!existsSync(pkgFile)) {
    problems.push(`${app.name}: no package.json`);
    continue;
  }
  if (!existsSync(join(root, app.name, "package-lock.json"))) {
    problems.push(`${app.name}: no package-lock.json, which npm ci needs`);
  }
  const pkg = JSON.parse(readFileSync(pkgFile, "utf8"));
  for (const script of ["build", "start", "test"]) {
    if (!pkg.scripts?.[script]) problems.push(`${app.name}: package.json has no "${script}" script`);
  }
  for (const [hook, command] of Object.entries(app.scripts ?? {})) {
    for (const [, name] of command.matchAll(/npm run ([\w:-]+)/g)) {
      if (!pkg.scripts?.[name]) problems.push(`${app.name}: ${hook} runs "npm run ${name}", which package.json lacks`);
    }
  }
}
if (problems.length) {
  console.error(problems.join("\n"));
  process.exit(1);
}
const keys = (a) => [...(a.configuration?.standardConfiguration ?? []), ...(a.configuration?.securedConfiguration ?? [])].length;
console.log(`connect.yaml is valid: ${spec.deployAs.map((a) => `${a.name} (${a.applicationType}${keys(a) ? `, ${keys(a)} keys` : ""})`).join(", ")}`);
