// Renders api/openapi.yaml into api.html with Redocly, one self-contained page, then
// replaces the two logo URLs Redoc's attribution loads from Redocly's CDN with an inline
// image, so the page loads nothing from anywhere else.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";

execFileSync("npx", ["redocly", "build-docs", "../api/openapi.yaml", "--config", "redocly.yaml", "--inlineBundle", "-o", "api.html"], { stdio: "inherit" });
const blank = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='1' height='1'/%3E";
let html = readFileSync("api.html", "utf8");
for (const logo of ["https://cdn.redoc.ly/redoc/logo-mini-full.svg", "https://cdn.redoc.ly/redoc/logo-mini.svg"]) {
  if (!html.includes(logo)) throw new Error(`Redoc no longer loads ${logo}: review build.mjs`);
  html = html.replaceAll(logo, blank);
}
writeFileSync("api.html", html);
