package postgres

import (
	"context"
	"io/fs"
	"testing"

	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/casestore/postgres/pgtest"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
)

// A database from before issue 13: a debtor shared by two creditors (an
// import crossed them) and dossier entries without a chain. Migrating
// splits the debtor, one per creditor, and chains the entries so that
// verification passes and later appends continue the chain.
func TestMigrateSplitsSharedDebtorsAndChainsOldEntries(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fsys, _ := fs.Sub(migrations, "migrations")
	db := stdlib.OpenDBFromPool(s.pool)
	defer db.Close()
	p, err := goose.NewProvider(goose.DialectPostgres, db, fsys, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 4); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO creditors (code, name, created_at) VALUES ('A', 'A B.V.', now()), ('B', 'B B.V.', now())`,
		`INSERT INTO debtors (ref, name, phones, postcode, created_at) VALUES ('K-1', 'Jan', '{+31611111111}', '1234AB', now())`,
		`INSERT INTO cases (ref, creditor_id, debtor_id, regime, stage, status, created_at, updated_at)
		 SELECT r, cr.id, d.id, 'nl-b2c', 'minnelijk', 'open', now(), now()
		 FROM (VALUES ('IB-A', 'A'), ('IB-B', 'B')) v(r, code) JOIN creditors cr ON cr.code = v.code, debtors d`,
		`INSERT INTO dossier (case_id, kind, actor, channel, body, at)
		 SELECT c.id, 'note', 'collector:1', 'console', jsonb_build_object('text', 'regel ' || n || ' é'), now() + n * interval '1 second'
		 FROM cases c, generate_series(1, 3) n`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
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
	if err != nil || len(reports) != 2 {
		t.Fatalf("VerifyDossiers: %v %v", reports, err)
	}
	for _, r := range reports {
		if r.Broken != nil || r.Entries != 3 {
			t.Errorf("old entries after the migration: %s", r)
		}
	}
	e := casestore.DossierEntry{CaseID: a.ID, Kind: casestore.EntryNote}
	if err := s.AppendDossier(ctx, &e); err != nil || e.Seq != 4 {
		t.Fatalf("append after the migration: seq %d, %v", e.Seq, err)
	}
	if r, err := s.VerifyDossier(ctx, a.ID); err != nil || r.Broken != nil || r.Entries != 4 {
		t.Errorf("after a new append: %v %v", r, err)
	}
}
