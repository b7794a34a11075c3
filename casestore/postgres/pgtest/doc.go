// Package pgtest gives each test package a PostgreSQL database of its own:
// NewDatabase creates one with a random name and drops it when the test ends.
//
// The server is the one DATABASE_URL names (AdminURL; default
// postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable). When it
// cannot be reached the test is skipped with a message saying so, except
// under CI=true, where a missing database fails the test: CI must never pass
// by testing nothing.
package pgtest
