// Builds dist/processor.wasm and dist/wasm_exec.js from the Go sources when Go is on the
// PATH (the test command and the release build); otherwise (commercetools Connect builds
// with npm only) checks that the release carries them.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist");
const wasm = join(dist, "processor.wasm");
const glue = join(dist, "wasm_exec.js");

function hasGo() {
  try {
    execFileSync("go", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

if (hasGo()) {
  mkdirSync(dist, { recursive: true });
  const root = execFileSync("go", ["env", "GOROOT"], { encoding: "utf8" }).trim();
  execFileSync("go", ["build", "-tags", "nomsgpack", "-trimpath", "-buildvcs=true", "-ldflags=-s -w -buildid=", "-o", wasm, "./cmd/processor"], {
    cwd: join(here, ".."), stdio: "inherit", env: { ...process.env, GOOS: "js", GOARCH: "wasm" },
  });
  copyFileSync(join(root, "lib", "wasm", "wasm_exec.js"), glue);
  console.log(`dist/processor.wasm: ${(statSync(wasm).size / 1048576).toFixed(1)} MB`);
} else if (!existsSync(wasm) || !existsSync(glue)) {
  console.error("dist/processor.wasm and dist/wasm_exec.js are missing and Go is not installed: deploy a release (scripts/release), which carries them");
  process.exit(1);
} else {
  console.log("dist/processor.wasm: carried by the release");
}
