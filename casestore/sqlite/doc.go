// Package sqlite is the embedded default casestore.Store: one SQLite file
// (pure Go, modernc.org/sqlite), so the binary runs a working demo without a database server.
//
// Every write goes through a single writer connection (BEGIN IMMEDIATE), so
// concurrent callers queue in Go instead of failing with SQLITE_BUSY; reads
// of a file database use a separate pool and, thanks to WAL, never wait for
// the writer. Money is TEXT (decimal strings), calendar days are TEXT
// 'YYYY-MM-DD', instants are fixed-width RFC 3339 UTC TEXT that sorts as
// time does. The dossier table refuses UPDATE and DELETE by trigger.
package sqlite
