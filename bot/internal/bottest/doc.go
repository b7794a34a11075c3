// Package bottest runs the real bot — router, conversations and their
// store — on a PostgreSQL database and a Redis key prefix of the test's
// own, and counts what a request stored: the channels' malformed-request
// tests prove with it that a refused request changed nothing.
package bottest
