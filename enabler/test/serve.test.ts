import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { test } from "node:test";

// npm start serves the built bundles of public/, and nothing outside it.
test("npm start serves public/ and only public/", async () => {
  const server = spawn(process.execPath, ["serve.mjs"], { env: { ...process.env, PORT: "0" }, stdio: ["ignore", "pipe", "inherit"] });
  try {
    const port = await new Promise<string>((resolve, reject) => {
      let out = "";
      server.stdout.on("data", (chunk) => {
        out += chunk;
        const m = out.match(/on port (\d+)/);
        if (m) resolve(m[1]);
      });
      server.on("exit", (code) => reject(new Error(`serve.mjs exited with ${code}: ${out}`)));
    });
    const base = `http://127.0.0.1:${port}`;
    const bundle = await fetch(`${base}/connector-enabler.js`);
    assert.equal(bundle.status, 200);
    assert.match(bundle.headers.get("content-type") ?? "", /javascript/);
    assert.match(await bundle.text(), /export/);
    for (const outside of ["/%2e%2e/package.json", "/..%2fpackage.json", "/%E0%A4%A"]) {
      const resp = await fetch(base + outside);
      assert.equal(resp.status, 404, outside);
    }
    assert.equal((await fetch(`${base}/connector-enabler.js`)).status, 200, "still serving after a malformed path");
  } finally {
    server.kill();
  }
});
