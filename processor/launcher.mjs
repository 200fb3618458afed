// Runs the processor, compiled to WebAssembly (dist/processor.wasm), behind Node's http
// server: the way commercetools Connect, which runs Node.js services, runs it.
//
//   node launcher.mjs                serve on PORT (8080)
//   node launcher.mjs post-deploy    prepare the commercetools project
//   node launcher.mjs pre-undeploy   clean up before the connector is removed
//
// Configuration is the environment, as for the native processor. Outbound HTTP goes
// through fetch. Nothing here depends on a package: Node's standard library only.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist");

// The largest request body handed to the processor: it answers 413 itself, in its own
// error shape, when a body is larger than MAX_REQUEST_BODY_BYTES, so it needs one byte
// more than that limit to see it.
const bodyCap = (Number.parseInt(process.env.MAX_REQUEST_BODY_BYTES ?? "", 10) || 65536) + 1;

// Go's js/wasm net/http leaves fetch alone when process.argv0 starts with "node";
// argv0 cannot be changed, so the processor sees a process object with another one.
globalThis.process = Object.create(process, { argv0: { value: "processor-launcher" } });

await import(join(dist, "wasm_exec.js"));

const command = process.argv[2] ?? "serve";
const go = new globalThis.Go();
go.argv = ["processor", command];
go.env = { ...process.env };
go.exit = (code) => { process.exitCode = code; };

const wasm = await WebAssembly.instantiate(await readFile(join(dist, "processor.wasm")), go.importObject);

// Once the Go program has returned, timers it left behind must not wake it: exit.
const exit = () => process.exit(process.exitCode ?? 0);

if (command !== "serve") {
  await go.run(wasm.instance);
  exit();
} else {
  let api;
  const ready = new Promise((resolve) => {
    globalThis.processorHost = { ready: (a) => { api = a; resolve(); } };
  });
  const exited = go.run(wasm.instance);
  await Promise.race([ready, exited]);
  if (!api) {
    process.exitCode ||= 1;
    exit();
  } else {
    serve(api, exited);
  }
}

function serve(api, exited) {
  const server = createServer({ requestTimeout: 300_000, headersTimeout: 10_000, keepAliveTimeout: 120_000 }, (req, res) => {
    const chunks = [];
    let size = 0;
    req.on("data", (chunk) => {
      if (size >= bodyCap) return; // the processor refuses the body from what it has
      const room = bodyCap - size;
      chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
      size += Math.min(chunk.length, room);
    });
    req.on("end", () => {
      const body = size > 0 ? Buffer.concat(chunks, size) : null;
      const remote = `${req.socket.remoteAddress}:${req.socket.remotePort}`;
      api.handle(req.method, req.url, req.rawHeaders, body, remote, (answer) => {
        res.writeHead(answer.status, answer.headers);
        res.end(answer.body);
      });
    });
    req.on("error", () => res.destroy());
  });

  const port = Number.parseInt(process.env.PORT ?? "", 10);
  const host = process.env.HOST || undefined;
  server.listen(Number.isNaN(port) ? 8080 : port, host, () => {
    const a = server.address();
    const addr = a.family === "IPv6" ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
    console.log(JSON.stringify({ time: new Date().toISOString(), level: "INFO", msg: "processor listening", addr, runtime: "wasm" }));
  });

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    console.log(JSON.stringify({ time: new Date().toISOString(), level: "INFO", msg: "shutting down" }));
    server.close(() => api.shutdown());
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 15_000).unref();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  exited.then(() => {
    if (!stopping) process.exitCode ||= 1; // the processor ended on its own
    exit();
  });
}
