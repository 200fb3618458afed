// The launcher with the real processor.wasm (npm run build first), without a commercetools
// project to talk to: what it serves on its own, how it hands requests and answers over,
// and how it stops. The smoke suite (internal/smoke) runs it against
// the commercetools emulator.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer, request } from "node:http";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const launcher = join(dirname(fileURLToPath(import.meta.url)), "..", "launcher.mjs");
// Nothing listens on port 9 of the loopback: commercetools is unreachable.
const unreachable = "http://127.0.0.1:9";
const env = {
  ...process.env, HOST: "127.0.0.1", PORT: "0", CTP_PROJECT_KEY: "launcher-test", CTP_CLIENT_ID: "id", CTP_CLIENT_SECRET: "secret",
  CTP_AUTH_URL: unreachable, CTP_API_URL: unreachable, CTP_SESSION_URL: unreachable, CTP_JWKS_URL: unreachable + "/jwks.json",
  CTP_JWT_ISSUER: unreachable, RECONCILE_INTERVAL: "0", MAX_REQUEST_BODY_BYTES: "2048",
};

// run starts the launcher with args and resolves once a line of its output matches ready
// (then with the match), or once it exits (then with its code and output).
function run(args, ready, extraEnv = {}) {
  // argv0 "node", as npm start runs it on Connect.
  const child = spawn(process.execPath, [launcher, ...args], { argv0: "node", env: { ...env, ...extraEnv }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const exited = new Promise((resolve) => child.on("exit", (code) => resolve({ code, output })));
  const seen = new Promise((resolve, reject) => {
    const look = (chunk) => {
      output += chunk;
      const m = ready && output.match(ready);
      if (m) resolve(m);
    };
    child.stdout.on("data", look);
    child.stderr.on("data", look);
    exited.then(({ code }) => reject(new Error(`launcher exited with ${code}: ${output}`)));
  });
  const waitFor = (pattern) => new Promise((resolve, reject) => {
    const look = () => { if (pattern.test(output)) resolve(); };
    child.stdout.on("data", look);
    child.stderr.on("data", look);
    look();
    exited.then(() => (pattern.test(output) ? resolve() : reject(new Error(`exited without ${pattern}: ${output}`))));
  });
  return { child, seen, exited, waitFor, output: () => output };
}

let server;
let base;
before(async () => {
  server = run([], /"msg":"processor listening","addr":"([^"]+)"/);
  base = "http://" + (await server.seen)[1];
});
after(() => server.child.kill("SIGKILL"));

test("serves liveness and the contract", async () => {
  const health = await fetch(base + "/health");
  assert.equal(health.status, 200);
  assert.deepEqual(await health.json(), { status: "UP" });
  const contract = await fetch(base + "/openapi.yaml");
  assert.equal(contract.status, 200);
  assert.match(await contract.text(), /^openapi: 3/);
});

test("answers an unknown route in the commercetools error shape", async () => {
  const resp = await fetch(base + "/no-such-route?x=1");
  assert.equal(resp.status, 404);
  const body = await resp.json();
  assert.equal(body.statusCode, 404);
  assert.equal(body.errors[0].code, "ResourceNotFound");
  assert.match(body.message, /\/no-such-route/);
});

test("hands request headers over and answers with the processor's headers", async () => {
  const resp = await fetch(base + "/health", { headers: { "x-correlation-id": "launcher-test-42" } });
  assert.equal(resp.status, 200);
  assert.equal(resp.headers.get("x-correlation-id"), "launcher-test-42");
  assert.match(resp.headers.get("content-type"), /application\/json/);
});

// get sends a GET with a Host header fetch would not let through.
function get(path, host) {
  return new Promise((resolve, reject) => {
    const [hostname, port] = base.slice("http://".length).split(":");
    const req = request({ hostname, port, path, headers: { host } }, (res) => {
      let text = "";
      res.on("data", (c) => { text += c; });
      res.on("end", () => resolve({ status: res.statusCode, body: text }));
    });
    req.on("error", reject);
    req.end();
  });
}

test("routes by the request target, never by the Host header", async () => {
  const smuggled = await get("/no-such-route", "h/health#");
  assert.equal(smuggled.status, 400, smuggled.body);
  assert.equal(JSON.parse(smuggled.body).errors[0].code, "InvalidInput");
  const plain = await get("/health", "localhost:8080");
  assert.equal(plain.status, 200, plain.body);
});

test("lets the processor refuse a body over its limit", async () => {
  const resp = await fetch(base + "/payments", {
    method: "POST", headers: { "content-type": "application/json", "x-session-id": "s" },
    body: JSON.stringify({ paymentMethod: { type: "card", pad: "x".repeat(10_000) } }),
  });
  assert.equal(resp.status, 413);
  const body = await resp.json();
  assert.equal(body.statusCode, 413);
});

test("answers 503 when commercetools cannot be reached, never a crash", async () => {
  const resp = await fetch(base + "/payments", {
    method: "POST", headers: { "content-type": "application/json", "x-session-id": "s" },
    body: JSON.stringify({ paymentMethod: { type: "card" } }),
  });
  assert.equal(resp.status, 503);
  assert.equal((await resp.json()).statusCode, 503);
  assert.equal((await fetch(base + "/health")).status, 200);
});

test("stops cleanly on SIGTERM", async () => {
  const other = run([], /"msg":"processor listening"/);
  await other.seen;
  other.child.kill("SIGTERM");
  const { code, output } = await other.exited;
  assert.equal(code, 0, output);
  assert.match(output, /"msg":"stopped"/);
});

test("a deploy hook that cannot reach commercetools fails, saying so", async () => {
  const hook = run(["post-deploy"]);
  hook.seen.catch(() => {});
  const { code, output } = await hook.exited;
  assert.equal(code, 1, output);
  assert.match(output, /processor: /);
});

test("refuses an unknown command", async () => {
  const cmd = run(["deploy-everything"]);
  cmd.seen.catch(() => {});
  const { code, output } = await cmd.exited;
  assert.equal(code, 1);
  assert.match(output, /unknown command "deploy-everything"/);
});

test("a request in flight at SIGTERM finishes, even when its client has gone, before the processor stops", async () => {
  // A commercetools that holds the token request until the test lets it go.
  let arrived;
  const tokenAsked = new Promise((resolve) => { arrived = resolve; });
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  const upstream = createServer(async (req, res) => {
    arrived();
    await released;
    res.writeHead(503, { "content-type": "application/json" });
    res.end('{"statusCode":503,"message":"unavailable","errors":[]}');
  });
  await new Promise((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  const slow = `http://127.0.0.1:${upstream.address().port}`;
  const proc = run([], /"msg":"processor listening","addr":"([^"]+)"/, { CTP_AUTH_URL: slow, CTP_API_URL: slow, CTP_SESSION_URL: slow });
  try {
    const addr = (await proc.seen)[1];
    const client = new AbortController();
    const payment = fetch(`http://${addr}/payments`, {
      method: "POST", signal: client.signal, headers: { "content-type": "application/json", "x-session-id": "s" },
      body: JSON.stringify({ paymentMethod: { type: "card" } }),
    }).catch(() => "aborted");
    await tokenAsked; // the processor is working on the payment
    client.abort();
    assert.equal(await payment, "aborted");
    proc.child.kill("SIGTERM");
    await proc.waitFor(/"msg":"shutting down"/);
    release();
    const { code, output } = await proc.exited;
    assert.equal(code, 0, output);
    const answered = output.search(/"msg":"request"[^\n]*"path":"\/payments"/);
    assert.ok(answered >= 0, `the payment request was not finished: ${output}`);
    assert.ok(answered < output.indexOf('"msg":"stopped"'), output);
  } finally {
    proc.child.kill("SIGKILL");
    upstream.close();
  }
});

test("calls to commercetools go out through the launcher, gzip answers undone", async () => {
  const seen = [];
  const upstream = createServer((req, res) => {
    seen.push(`${req.method} ${req.url.split("?")[0]} ${req.headers["accept-encoding"]} ${req.headers["content-length"] ?? "chunked"}`);
    const token = req.url.startsWith("/oauth/token");
    const body = token
      ? { access_token: "t", token_type: "Bearer", expires_in: 3600, scope: "manage_project:launcher-test" }
      : { statusCode: 404, message: "The Session with ID 's' was not found.", errors: [{ code: "ResourceNotFound", message: "The Session with ID 's' was not found." }] };
    res.writeHead(token ? 200 : 404, { "content-type": "application/json", "content-encoding": "gzip" });
    res.end(gzipSync(JSON.stringify(body)));
  });
  await new Promise((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  const ct = `http://127.0.0.1:${upstream.address().port}`;
  const proc = run([], /"msg":"processor listening","addr":"([^"]+)"/, { CTP_AUTH_URL: ct, CTP_API_URL: ct, CTP_SESSION_URL: ct });
  try {
    const addr = (await proc.seen)[1];
    const resp = await fetch(`http://${addr}/payments`, {
      method: "POST", headers: { "content-type": "application/json", "x-session-id": "s" },
      body: JSON.stringify({ paymentMethod: { type: "card" } }),
    });
    // The token's answer was read, and the Session API's 404 understood: the session is refused.
    assert.equal(resp.status, 401, await resp.text());
    assert.ok(seen.some((l) => /^POST \/oauth\/token gzip \d+$/.test(l)), `a token request with its length: ${seen.join("; ")}`);
    assert.ok(seen.some((l) => l.startsWith("GET /launcher-test/sessions/s")), seen.join("; "));
  } finally {
    proc.child.kill("SIGKILL");
    upstream.close();
  }
});
