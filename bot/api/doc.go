// Package api is the creditors' JSON API under /api/v1: their cases, one
// case, its dossier, files and export, each read in the caller's scope.
// docs/openapi.yaml is its contract, kept true by this package's tests.
package api
