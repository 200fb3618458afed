// Runs the processor, compiled to WebAssembly (dist/processor.wasm), behind Node's http
// server: the way commercetools Connect, which runs Node.js services, runs it.
//
//   node launcher.mjs                serve on PORT (8080)
//   node launcher.mjs post-deploy    prepare the commercetools project
//   node launcher.mjs pre-undeploy   clean up before the connector is removed
//
// Configuration is the environment, as for the native processor. The processor's calls
// to commercetools go out through send below; its other outbound calls through fetch.
// Nothing here depends on a package: Node's standard library only. The Go program's
// standard error reaches standard output, line by line (wasm_exec.js).
import { Agent as HttpAgent, createServer, request as httpRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { gunzip } from "node:zlib";
import { readFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import { dirname, join } from "node:path";

const node = process; // the real one: globalThis.process is replaced below
const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist");

// The largest request body handed to the processor: it answers 413 itself, in its own
// error shape, when a body is larger than MAX_REQUEST_BODY_BYTES, so it needs one byte
// more than that limit to see it.
const bodyCap = (Number.parseInt(node.env.MAX_REQUEST_BODY_BYTES ?? "", 10) || 65536) + 1;
// As the native processor's server: a request is read within 30 s, answered within 60 s
// (the processor's own budget, REQUEST_BUDGET, ends well before), and a stop waits 15 s.
const readTimeout = 30_000;
const writeTimeout = 60_000;
const shutdownGrace = 15_000;

// Go's js/wasm net/http leaves fetch alone when process.argv0 starts with "node";
// argv0 cannot be changed, so the processor sees a process object with another one.
globalThis.process = Object.create(node, { argv0: { value: "processor-launcher" } });

await import(pathToFileURL(join(dist, "wasm_exec.js")).href);

const command = node.argv[2] ?? "serve";
const go = new globalThis.Go();
go.argv = ["processor", command];
go.env = { ...node.env };
go.exit = (code) => { node.exitCode = code; };

const wasm = await WebAssembly.instantiate(await readFile(join(dist, "processor.wasm")), go.importObject);

// Once the Go program has returned, timers it left behind must not wake it: exit.
const exit = () => node.exit(node.exitCode ?? 0);

if (command !== "serve") {
  await go.run(wasm.instance);
  exit();
} else {
  let api;
  const ready = new Promise((resolve) => {
    globalThis.processorHost = { ready: (a) => { api = a; resolve(); }, send };
  });
  const exited = go.run(wasm.instance);
  await Promise.race([ready, exited]);
  if (!api) {
    node.exitCode ||= 1;
    exit();
  } else {
    serve(api, exited);
  }
}

// Connections to commercetools are kept, as the native processor keeps them.
const agents = { "http:": new HttpAgent({ keepAlive: true, maxSockets: 64 }), "https:": new HttpsAgent({ keepAlive: true, maxSockets: 64 }) };

// send makes one HTTP request for the processor (internal/jsbridge.Transport) and answers
// done(status, headers, body) or done(0, "", null, error): headers travel as
// "name\0value\0…", the bodies whole, gzip undone.
function send(method, url, headers, body, timeoutMs, done) {
  let finished = false;
  let timer;
  const finish = (...answer) => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    done(...answer);
  };
  const fields = headers.split("\0");
  const head = {};
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const name = fields[i].toLowerCase();
    head[name] = head[name] === undefined ? fields[i + 1] : [].concat(head[name], fields[i + 1]);
  }
  head["accept-encoding"] ??= "gzip";
  let target;
  try {
    target = new URL(url);
  } catch {
    finish(0, "", null, "malformed URL");
    return;
  }
  const request = target.protocol === "https:" ? httpsRequest : httpRequest;
  const req = request(target, { method, headers: head, agent: agents[target.protocol] }, (res) => {
    const chunks = [];
    res.on("data", (c) => chunks.push(c));
    res.on("error", (err) => finish(0, "", null, err.message));
    res.on("end", () => {
      const raw = Buffer.concat(chunks);
      const answer = (data, zipped) => {
        const out = [];
        for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
          const name = res.rawHeaders[i].toLowerCase();
          if (zipped && (name === "content-encoding" || name === "content-length")) continue;
          out.push(res.rawHeaders[i], res.rawHeaders[i + 1]);
        }
        finish(res.statusCode, out.join("\0") + "\0", new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      };
      if (res.headers["content-encoding"] === "gzip") {
        gunzip(raw, (err, data) => (err ? finish(0, "", null, `gzip: ${err.message}`) : answer(data, true)));
      } else {
        answer(raw, false);
      }
    });
  });
  timer = timeoutMs > 0 ? setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs) : undefined;
  req.on("error", (err) => finish(0, "", null, err.message));
  req.end(body ?? undefined);
}

function log(msg, fields = {}) {
  console.log(JSON.stringify({ time: new Date().toISOString(), level: "INFO", msg, ...fields }));
}

function serve(api, exited) {
  let pending = 0; // requests handed to the processor and not answered yet
  let stopping = false;
  let closed = false;
  let stopped = () => {};

  const server = createServer({ requestTimeout: readTimeout, headersTimeout: 10_000, keepAliveTimeout: 120_000 }, (req, res) => {
    const chunks = [];
    let size = 0;
    let handed = false;
    const hand = () => {
      if (handed) return;
      handed = true;
      const body = size > 0 ? Buffer.concat(chunks, size) : null;
      const a = req.socket.remoteAddress ?? "";
      const remote = `${a.includes(":") ? `[${a}]` : a}:${req.socket.remotePort}`;
      pending++;
      let answered = false;
      // The processor answers within its budget; this only guards against an answer
      // that never comes.
      const deadline = setTimeout(() => finish({ status: 503, headers: ["Content-Type", "application/json"], body: Buffer.from(JSON.stringify({
        message: "The processor did not answer in time.", statusCode: 503,
        errors: [{ code: "ServiceUnavailable", message: "The processor did not answer in time." }] })) }), writeTimeout);
      const finish = (answer) => {
        if (answered) return;
        answered = true;
        clearTimeout(deadline);
        pending--;
        try {
          if (answer.abort) {
            res.destroy();
          } else {
            if (stopping || size >= bodyCap) res.shouldKeepAlive = false;
            res.writeHead(answer.status, answer.headers);
            res.end(answer.body);
          }
        } catch {
          res.destroy(); // Node refused the answer (a header it cannot send)
        }
        if (stopping) {
          server.closeIdleConnections();
          settle();
        }
      };
      api.handle(req.method, req.url, req.rawHeaders, body, remote, finish);
    };
    req.on("data", (chunk) => {
      if (size >= bodyCap) return;
      const room = bodyCap - size;
      chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
      size += Math.min(chunk.length, room);
      if (size >= bodyCap) hand(); // the processor refuses it from what it has
    });
    req.on("end", hand);
    req.on("error", () => res.destroy());
  });
  server.on("error", (err) => {
    console.error(JSON.stringify({ time: new Date().toISOString(), level: "ERROR", msg: "listen", error: err.message }));
    node.exitCode = 1;
    api.shutdown();
  });

  const port = Number.parseInt(node.env.PORT ?? "", 10);
  const host = node.env.HOST || undefined;
  server.listen(Number.isNaN(port) ? 8080 : port, host, () => {
    const a = server.address();
    const addr = a.family === "IPv6" ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
    log("processor listening", { addr, runtime: "wasm" });
  });

  // The processor stops once no connection is left and every request it was handed has
  // been answered: a request whose client went away still finishes, as natively.
  // Later, never from inside an answer's callback: Go is still on the stack there.
  const settle = () => {
    if (closed && pending === 0) setImmediate(stopped);
  };
  const stop = () => {
    if (stopping) return;
    stopping = true;
    log("shutting down", { grace: `${shutdownGrace / 1000}s` });
    const forced = setTimeout(() => {
      console.error(JSON.stringify({ time: new Date().toISOString(), level: "ERROR", msg: "shutdown: requests still in flight after the grace", pending }));
      node.exitCode = 1;
      server.closeAllConnections();
      api.shutdown();
    }, shutdownGrace);
    forced.unref();
    stopped = () => { clearTimeout(forced); api.shutdown(); };
    server.close(() => { closed = true; settle(); });
    server.closeIdleConnections();
  };
  node.on("SIGTERM", stop);
  node.on("SIGINT", stop);
  exited.then(() => {
    if (!stopping) node.exitCode ||= 1; // the processor ended on its own
    exit();
  });
}
