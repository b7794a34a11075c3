package main

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/incassobot/incassobot/casestore/sqlite"
	"github.com/incassobot/incassobot/casestore/storetest"
)

// TestDossierVerifyNamesTheChangedEntry: an entry changed directly in the
// database file (triggers dropped, as its owner could) is named by
// `dossier verify`, which exits 1; the untouched dossier stays ok.
func TestDossierVerifyNamesTheChangedEntry(t *testing.T) {
	t.Parallel()
	te := newTestEnv(t)
	ctx := context.Background()
	st, err := sqlite.Open(ctx, te.vars["INCASSOBOT_DB"])
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	c := storetest.NewCase(t, st, "IB-2026-000777")
	other := storetest.NewCase(t, st, "IB-2026-000778")
	storetest.Note(t, st, other.ID, `{"text":"niets aan de hand"}`)
	storetest.Note(t, st, c.ID, `{"text":"debiteur belt: betwist factuur"}`)
	changed := storetest.Note(t, st, c.ID, `{"text":"geen akkoord gegeven"}`)
	storetest.Note(t, st, c.ID, `{"text":"brief verstuurd"}`)
	st.Close()

	if err := te.run(ctx, "dossier", "verify", "--case", "ib-2026-000777"); err != nil {
		t.Fatalf("verify before any change: %v\n%s", err, te.stdout)
	}
	if !strings.Contains(te.stdout.String(), "IB-2026-000777: 3 entries, chain intact") {
		t.Errorf("verify says %q", te.stdout)
	}

	db, err := sql.Open("sqlite", te.vars["INCASSOBOT_DB"])
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DROP TRIGGER dossier_no_update`,
		fmt.Sprintf(`UPDATE dossier SET body = '{"text":"akkoord met regeling"}' WHERE id = %d`, changed.ID)} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()

	before := len(te.stdout.String())
	err = te.run(ctx, "dossier", "verify", "--all")
	if exitCode(err) != 1 {
		t.Fatalf("verify --all after the change: exit %d (%v), want 1", exitCode(err), err)
	}
	out := te.stdout.String()[before:]
	if want := fmt.Sprintf("BROKEN IB-2026-000777: entry 2 (id %d) does not match", changed.ID); !strings.Contains(out, want) {
		t.Errorf("verify --all says:\n%s\nwant a line with %q", out, want)
	}
	if !strings.Contains(out, "ok     IB-2026-000778") {
		t.Errorf("the untouched dossier is not reported ok:\n%s", out)
	}
	if err := te.run(ctx, "dossier", "verify"); exitCode(err) != 2 {
		t.Errorf("verify without --case or --all: exit %d, want 2", exitCode(err))
	}
}
