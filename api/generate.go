// Package api holds the processor's HTTP contract, api/openapi.yaml, embedded in the binary.
//
// The contract is the source of truth: the server stubs, models and typed client under
// generated/ are produced from it by `go generate ./...`.
package api

import _ "embed"

//go:generate go tool oapi-codegen -config ../.oapi-codegen.yaml openapi.yaml

// Spec is the OpenAPI document exactly as written, served at GET /openapi.yaml.
//
//go:embed openapi.yaml
var Spec []byte
