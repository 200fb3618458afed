// Package enabler holds the browser enabler, built from this folder's TypeScript sources
// by npm (see package.json), and the demo checkout page. The built bundles are committed
// in dist/ and embedded here, so the processor serves them and go run needs no npm.
package enabler

import "embed"

// Files holds dist/connector-enabler.js, dist/giftcard-enabler.js and demo.html.
//
//go:embed dist/connector-enabler.js dist/giftcard-enabler.js demo.html
var Files embed.FS
