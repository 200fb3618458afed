// Package docs holds the documentation for partners: the API reference rendered from
// api/openapi.yaml by Redocly (api.html, self-contained, served at GET /docs) and the
// guide to adding a provider.
package docs

import _ "embed"

// APIReference is the rendered API reference.
//
//go:embed api.html
var APIReference []byte
