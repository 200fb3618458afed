// Builds the enabler's bundles into dist/: the payment enabler with the typed client, and
// the gift-card enabler on its own. The processor embeds and serves dist/; commercetools
// Connect, which deploys this folder as an assets application, serves public/, which
// gets a copy.
import { build } from "esbuild";
import { gzipSync } from "node:zlib";
import { copyFileSync, mkdirSync, readFileSync, readdirSync } from "node:fs";
import { basename } from "node:path";

const bundles = [
  { entry: "src/index.ts", out: "dist/connector-enabler.js" },
  { entry: "src/giftcard-index.ts", out: "dist/giftcard-enabler.js" },
];
for (const b of bundles) {
  await build({
    entryPoints: [b.entry], outfile: b.out, bundle: true, format: "esm", minify: true,
    target: "es2022", platform: "browser", legalComments: "none", charset: "utf8",
  });
  const size = gzipSync(readFileSync(b.out)).length;
  console.log(`${b.out}: ${(size / 1024).toFixed(1)} KB gzip`);
  mkdirSync("public", { recursive: true });
  copyFileSync(b.out, "public/" + basename(b.out));
}

// With --tests, the unit tests are bundled for node's test runner into .test-build/.
if (process.argv.includes("--tests")) {
  const tests = readdirSync("test").filter((f) => f.endsWith(".test.ts")).map((f) => "test/" + f);
  await build({ entryPoints: tests, outdir: ".test-build", bundle: true, format: "esm", platform: "node", target: "node20", outExtension: { ".js": ".mjs" } });
}
