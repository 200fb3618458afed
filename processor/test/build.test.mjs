// npm run build with npm alone, as commercetools Connect runs it: without Go it builds
// nothing, accepts the WebAssembly build a release carries, and refuses to go on without.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const build = join(dirname(fileURLToPath(import.meta.url)), "..", "build.mjs");

// runWithoutGo runs a copy of build.mjs in a fresh folder, with only Node on the PATH.
function runWithoutGo(withDist) {
  const dir = mkdtempSync(join(tmpdir(), "processor-build-"));
  copyFileSync(build, join(dir, "build.mjs"));
  if (withDist) {
    mkdirSync(join(dir, "dist"));
    writeFileSync(join(dir, "dist", "processor.wasm"), "");
    writeFileSync(join(dir, "dist", "wasm_exec.js"), "");
  }
  return spawnSync(process.execPath, [join(dir, "build.mjs")], { env: { PATH: dirname(process.execPath) }, encoding: "utf8" });
}

test("without Go, a release's WebAssembly build is accepted", () => {
  const r = runWithoutGo(true);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /carried by the release/);
});

test("without Go and without a release's build, npm run build fails and says why", () => {
  const r = runWithoutGo(false);
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stderr, /deploy a release/);
});
