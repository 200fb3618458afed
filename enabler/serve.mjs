// Serves public/ (npm run build fills it) on PORT (8080), as commercetools Connect serves
// the enabler's assets: for trying a storefront against local bundles.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";

const types = { ".js": "text/javascript; charset=utf-8", ".html": "text/html; charset=utf-8", ".map": "application/json" };
const port = Number.parseInt(process.env.PORT ?? "", 10);

const server = createServer(async (req, res) => {
  try {
    // The path is resolved from the root, so ".." cannot leave public/.
    const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
    const body = await readFile(join("public", path));
    res.writeHead(200, { "Content-Type": types[extname(path)] ?? "application/octet-stream", "Access-Control-Allow-Origin": "*" });
    res.end(body);
  } catch {
    res.writeHead(404, { "Content-Type": "text/plain" });
    res.end("not found\n");
  }
});
server.listen(Number.isNaN(port) ? 8080 : port, () => console.log(`serving public/ on port ${server.address().port}`));
