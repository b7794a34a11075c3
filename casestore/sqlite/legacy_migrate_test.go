package sqlite

import (
	"context"
	"io/fs"
	"path/filepath"
	"testing"

	"github.com/incassobot/incassobot/casestore"
	"github.com/pressly/goose/v3"
)

// A file from before issue 13 (see the PostgreSQL store's twin): the
// shared debtor is split with its phones, the old entries are chained by
// the Go migration, and the append-only trigger is back after it.
func TestMigrateSplitsSharedDebtorsAndChainsOldEntries(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "old.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fsys, _ := fs.Sub(migrations, "migrations")
	p, err := goose.NewProvider(goose.DialectSQLite3, s.w, fsys, goose.WithGoMigrations(chainMigration))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 4); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO creditors (code, name, created_at) VALUES ('A', 'A B.V.', '2026-01-01T00:00:00.000000000Z'), ('B', 'B B.V.', '2026-01-01T00:00:00.000000000Z')`,
		`INSERT INTO debtors (ref, name, postcode, created_at) VALUES ('K-1', 'Jan', '1234AB', '2026-01-01T00:00:00.000000000Z')`,
		`INSERT INTO debtor_phones (debtor_id, seq, e164) VALUES (1, 0, '+31611111111')`,
		`INSERT INTO cases (ref, creditor_id, debtor_id, regime, stage, status, created_at, updated_at) VALUES
		 ('IB-A', 1, 1, 'nl-b2c', 'minnelijk', 'open', '2026-01-01T00:00:00.000000000Z', '2026-01-01T00:00:00.000000000Z'),
		 ('IB-B', 2, 1, 'nl-b2c', 'minnelijk', 'open', '2026-01-01T00:00:00.000000000Z', '2026-01-01T00:00:00.000000000Z')`,
		`INSERT INTO dossier (case_id, kind, actor, channel, body, at) VALUES
		 (1, 'note', 'collector:1', 'console', '{"text": "een é"}', '2026-01-02T10:00:00.123456789Z'),
		 (2, 'note', 'collector:1', 'console', '{"text": "twee"}', '2026-01-02T10:00:01.000000000Z'),
		 (1, 'note', 'collector:1', 'console', '{}', '2026-01-02T10:00:02.000000000Z')`,
	} {
		if _, err := s.w.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	a, err := s.CaseByRef(ctx, "IB-A")
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.CaseByRef(ctx, "IB-B")
	if err != nil {
		t.Fatal(err)
	}
	if a.Debtor.ID == b.Debtor.ID || a.Debtor.CreditorID != a.CreditorID || b.Debtor.CreditorID != b.CreditorID ||
		b.Debtor.Ref != "K-1" || len(b.Debtor.Phones) != 1 || b.Debtor.Postcode != "1234AB" {
		t.Errorf("after the migration: A's debtor %+v, B's %+v; want a copy each, of its own creditor", a.Debtor, b.Debtor)
	}
	reports, err := s.VerifyDossiers(ctx)
	if err != nil || len(reports) != 2 || reports[0].Entries != 2 || reports[1].Entries != 1 {
		t.Fatalf("VerifyDossiers: %v %v", reports, err)
	}
	for _, r := range reports {
		if r.Broken != nil {
			t.Errorf("old entries after the migration: %s", r)
		}
	}
	e := casestore.DossierEntry{CaseID: a.ID, Kind: casestore.EntryNote}
	if err := s.AppendDossier(ctx, &e); err != nil || e.Seq != 3 {
		t.Fatalf("append after the migration: seq %d, %v", e.Seq, err)
	}
	if _, err := s.w.ExecContext(ctx, `UPDATE dossier SET body = '{}' WHERE id = 1`); err == nil {
		t.Error("the dossier can be updated after the migration: the trigger is not back")
	}
	var fk int
	if err := s.w.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&fk); err != nil || fk != 1 {
		t.Errorf("foreign keys after the migration: %d %v, want on", fk, err)
	}
}
