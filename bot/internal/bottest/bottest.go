package bottest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/hotstate"
	"github.com/incassobot/incassobot/bot/hotstate/redistest"
	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/casestore/postgres/pgstoretest"
	"github.com/jackc/pgx/v5"
)

// Bot is the bot as a channel sees it, on real services.
type Bot struct {
	Store  casestore.Store
	Hot    hotstate.Store
	Router *bot.Router // the channels' Sink; replies are queued, not sent
	dbURL  string
}

// New migrates a fresh database and opens a fresh Redis prefix; both go
// when t ends. A missing PostgreSQL or Redis skips t, or fails it when
// CI=true.
func New(t *testing.T) *Bot {
	t.Helper()
	ctx := context.Background()
	st, dbURL := pgstoretest.OpenAt(t)
	b := &Bot{dbURL: dbURL}
	url, prefix := redistest.NewPrefix(t)
	hot, err := hotstate.OpenRedis(ctx, url, prefix)
	if err != nil {
		t.Fatalf("bottest: open Redis: %v", err)
	}
	t.Cleanup(func() { hot.Close() })
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	b.Store, b.Hot = st, hot
	b.Router = &bot.Router{Store: st, Conversations: &bot.Conversations{Store: st, Hot: hot, Deliver: true, Log: quiet}}
	return b
}

// Rows is the number of rows in every table of the bot's database.
type Rows map[string]int64

// Rows counts them now.
func (b *Bot) Rows(t testing.TB) Rows {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, b.dbURL)
	if err != nil {
		t.Fatalf("bottest: connect to count rows: %v", err)
	}
	defer conn.Close(context.Background())
	tables, err := conn.Query(ctx,
		`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`)
	if err != nil {
		t.Fatalf("bottest: list tables: %v", err)
	}
	names, err := pgx.CollectRows(tables, pgx.RowTo[string])
	if err != nil || len(names) == 0 {
		t.Fatalf("bottest: list tables: %d found, %v", len(names), err)
	}
	rows := Rows{}
	for _, name := range names {
		var n int64
		if err := conn.QueryRow(ctx, "SELECT count(*) FROM "+pgx.Identifier{name}.Sanitize()).Scan(&n); err != nil {
			t.Fatalf("bottest: count %s: %v", name, err)
		}
		rows[name] = n
	}
	return rows
}

// Changed lists the tables whose count differs from before, as
// "table before→after"; empty when nothing was stored or removed.
func (before Rows) Changed(after Rows) []string {
	var out []string
	for _, name := range slices.Sorted(maps.Keys(merge(before, after))) {
		if before[name] != after[name] {
			out = append(out, fmt.Sprintf("%s %d→%d", name, before[name], after[name]))
		}
	}
	return out
}

// Unchanged fails t, saying which tables moved, when after differs.
func (before Rows) Unchanged(t testing.TB, after Rows, what string) {
	t.Helper()
	if moved := before.Changed(after); len(moved) > 0 {
		t.Errorf("%s stored or removed rows: %s", what, strings.Join(moved, ", "))
	}
}

func merge(a, b Rows) Rows {
	m := maps.Clone(a)
	maps.Copy(m, b)
	return m
}
