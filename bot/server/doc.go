// Package server is the whole HTTP surface of incassobot in one place
// (routes.go): provider webhooks, the web chat, health, readiness and
// metrics. It only assembles handlers the channel packages provide.
package server
