// Package api holds the processor's HTTP contract, api/openapi.yaml, embedded in the binary.
//
// The contract is the source of truth: the server stubs and models under generated/, and
// the typed client under generated/client/, are produced from it by `go generate ./...`.
package api

import _ "embed"

//go:generate go tool oapi-codegen -config ../.oapi-codegen.yaml openapi.yaml
//go:generate go tool oapi-codegen -config ../.oapi-codegen.client.yaml openapi.yaml
//go:generate go run ./internal/requestside openapi.yaml validation.json

// Spec is the OpenAPI document exactly as written, served at GET /openapi.yaml.
//
//go:embed openapi.yaml
var Spec []byte

// ValidationSpec is the request side of the contract, as JSON: its operations, parameters,
// request bodies, security and the schemas they use, without prose, each response reduced
// to its status code. It is what request validation reads, in under a fifth of the bytes,
// so the processor starts sooner. go generate writes it from openapi.yaml
// (internal/requestside).
//
//go:embed validation.json
var ValidationSpec []byte
