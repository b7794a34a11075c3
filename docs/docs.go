// Package docs carries the documents the binary serves itself: the API
// contract (openapi.yaml), so the served copy is always the one the tests
// checked against the running handlers.
package docs

import _ "embed"

// OpenAPI is docs/openapi.yaml: the creditors' JSON API, served at
// /api/openapi.yaml.
//
//go:embed openapi.yaml
var OpenAPI []byte
