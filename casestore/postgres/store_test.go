package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/casestore/postgres"
	"github.com/incassobot/incassobot/casestore/postgres/pgstoretest"
	"github.com/incassobot/incassobot/casestore/postgres/pgtest"
	"github.com/incassobot/incassobot/casestore/storetest"
	"github.com/jackc/pgx/v5"
)

// schemaVersion is the newest migration applied to the database at url.
func schemaVersion(t *testing.T, url string) (version int64, applied, distinct int) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	err = conn.QueryRow(ctx, `SELECT max(version_id), count(*), count(DISTINCT version_id) FROM goose_db_version WHERE version_id > 0`).Scan(&version, &applied, &distinct)
	if err != nil {
		t.Fatalf("read goose_db_version: %v", err)
	}
	return version, applied, distinct
}

// Several instances starting at once all migrate the same database: each
// must succeed, and the schema must be applied exactly once.
func TestMigrateFromSeveralInstancesAtOnce(t *testing.T) {
	url := pgtest.NewDatabase(t)
	ctx := context.Background()
	const instances = 4
	stores := make([]*postgres.Store, instances)
	for i := range stores {
		s, err := postgres.Open(ctx, url)
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		t.Cleanup(func() { s.Close() })
		stores[i] = s
	}
	errs := make([]error, instances)
	var wg sync.WaitGroup
	for i, s := range stores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.Migrate(ctx)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("instance %d: Migrate: %v", i, err)
		}
	}
	version, applied, distinct := schemaVersion(t, url)

	// Idempotent: running it again on a migrated database changes nothing.
	if err := stores[0].Migrate(ctx); err != nil {
		t.Fatalf("Migrate again: %v", err)
	}
	v2, a2, _ := schemaVersion(t, url)
	if v2 != version || a2 != applied {
		t.Errorf("second Migrate: version %d with %d applied, before %d with %d", v2, a2, version, applied)
	}
	// Versions are numbered in ranges (one per line of work), not 1, 2, 3…:
	// each file in migrations/ is applied once.
	files, err := filepath.Glob("migrations/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("list migrations: %v (%d files)", err, len(files))
	}
	if version < 1 || applied != len(files) || distinct != len(files) {
		t.Errorf("schema at version %d with %d migrations applied (%d distinct), want each of the %d files once", version, applied, distinct, len(files))
	}
	// And the store works.
	storetest.NewCase(t, stores[1], "IB-MIG")
}

// TestVerifyFindsAnEntryChangedInTheDatabase: the database's owner can
// disable the append-only triggers; the hash chain still tells.
func TestVerifyFindsAnEntryChangedInTheDatabase(t *testing.T) {
	s, url := openStoreAt(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	asOwner := func(sql string, args ...any) {
		t.Helper()
		tx, err := conn.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback(ctx)
		for _, q := range []string{`ALTER TABLE dossier DISABLE TRIGGER dossier_no_update_delete`, sql,
			`ALTER TABLE dossier ENABLE TRIGGER dossier_no_update_delete`} {
			a := args
			if q != sql {
				a = nil
			}
			if _, err := tx.Exec(ctx, q, a...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
	}
	storetest.VerifyFindsTampering(t, s, func(id int64, body string) {
		asOwner(`UPDATE dossier SET body = $2::jsonb WHERE id = $1`, id, body)
	}, func(id int64) {
		asOwner(`DELETE FROM dossier WHERE id = $1`, id)
	})
}

// The dossier is evidence: even SQL that bypasses the store cannot change
// or remove an entry.
func TestDossierRefusesUpdateAndDelete(t *testing.T) {
	s, url := pgstoretest.OpenAt(t)
	ctx := context.Background()
	c := storetest.NewCase(t, s, "IB-EVID")
	e := storetest.Note(t, s, c.ID, `{"text":"toegezegd: betaling op 1 mei"}`)

	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, sql := range []string{
		`UPDATE dossier SET body = '{"text":"nooit gezegd"}' WHERE id = $1`,
		`DELETE FROM dossier WHERE id = $1`,
		`TRUNCATE dossier`,
	} {
		args := []any{e.ID}
		if strings.HasPrefix(sql, "TRUNCATE") {
			args = nil
		}
		if _, err := conn.Exec(ctx, sql, args...); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: got error %v, want the append-only refusal", sql, err)
		}
	}
	got, err := s.Dossier(ctx, c.ID, casestore.DossierQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || string(got[0].Body) != string(e.Body) {
		t.Errorf("dossier after the attempts: %d entries, first %s; want the one entry unchanged %s", len(got), got[0].Body, e.Body)
	}
}

// Instants the store sets come from its Now, at PostgreSQL's precision.
func TestStoreClock(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	frozen := time.Date(2026, time.March, 9, 8, 30, 0, 123456789, time.FixedZone("CET", 3600))
	s.Now = func() time.Time { return frozen }
	want := frozen.UTC().Truncate(time.Microsecond)

	c := storetest.NewCase(t, s, "IB-CLOCK")
	e := storetest.Note(t, s, c.ID, `{}`)
	got, err := s.Dossier(ctx, c.ID, casestore.DossierQuery{})
	if err != nil {
		t.Fatal(err)
	}
	for what, instant := range map[string]time.Time{
		"case CreatedAt": c.CreatedAt, "case UpdatedAt": c.UpdatedAt, "creditor CreatedAt": c.Creditor.CreatedAt,
		"entry At in hand": e.At, "entry At read back": got[0].At,
	} {
		if !instant.Equal(want) || instant.Location() != time.UTC {
			t.Errorf("%s: got %v, want %v in UTC", what, instant, want)
		}
	}
}

// Two imports of the same case at once: one creates it, the other updates
// it, neither fails.
func TestConcurrentPutCaseOfOneRef(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	first := storetest.NewCase(t, s, "IB-SEED")
	const importers = 6
	var created atomic.Int32
	var wg sync.WaitGroup
	for i := range importers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := storetest.CaseFor("IB-RACE", first.CreditorID, first.DebtorID)
			if i%2 == 1 { // reversed invoice order: rows are still locked in one order
				c.Invoices[0], c.Invoices[1] = c.Invoices[1], c.Invoices[0]
			}
			ok, err := s.PutCase(ctx, c)
			if err != nil {
				t.Errorf("importer %d: %v", i, err)
			}
			if ok {
				created.Add(1)
			}
		}()
	}
	wg.Wait()
	if n := created.Load(); n != 1 {
		t.Errorf("%d importers created the case, want exactly 1", n)
	}
	got, err := s.CaseByRef(ctx, "ib-race")
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Invoices) != 2 {
		t.Errorf("case has %d invoices, want 2", len(got.Invoices))
	}
}

// Two transactions that take the same rows in opposite order deadlock;
// PostgreSQL aborts one, and the store runs it again instead of failing.
func TestInTxSurvivesDeadlock(t *testing.T) {
	s := openStore(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	a := storetest.NewCase(t, s, "IB-DL-A")
	b := storetest.NewCaseOf(t, s, "IB-DL-B", a.CreditorID, a.DebtorID)

	var holding sync.WaitGroup // both hold their first row before taking the second
	holding.Add(2)
	var runs atomic.Int32
	lockBoth := func(first, second int64) error {
		attempt := 0
		return s.InTx(ctx, func(tx casestore.Tx) error {
			runs.Add(1)
			attempt++
			if err := tx.SetCaseStatus(ctx, first, casestore.StatusOnHold); err != nil {
				return err
			}
			if attempt == 1 {
				holding.Done()
				holding.Wait()
			}
			return tx.SetCaseStatus(ctx, second, casestore.StatusOnHold)
		})
	}
	errs := make(chan error, 2)
	go func() { errs <- lockBoth(a.ID, b.ID) }()
	go func() { errs <- lockBoth(b.ID, a.ID) }()
	for range 2 {
		if err := <-errs; err != nil {
			t.Errorf("InTx: %v", err)
		}
	}
	if n := runs.Load(); n < 3 {
		t.Errorf("fn ran %d times; a deadlock should have made the store run one again", n)
	}
}

// fn's own errors are never retried, even when they look like a lost race
// that happened outside this store.
func TestInTxDoesNotRetryPlainErrors(t *testing.T) {
	s := openStore(t)
	var runs int
	errBusy := errors.New("payment provider busy")
	err := s.InTx(context.Background(), func(tx casestore.Tx) error {
		runs++
		return fmt.Errorf("charge: %w", errBusy)
	})
	if !errors.Is(err, errBusy) || runs != 1 {
		t.Errorf("InTx: got %v after %d runs, want fn's error after 1", err, runs)
	}
}

func TestOpenUnreachable(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := postgres.Open(ctx, "postgres://postgres@127.0.0.1:1/postgres?sslmode=disable&connect_timeout=2")
	if err == nil {
		t.Fatal("Open of a server that is not there succeeded")
	}
	_, err = postgres.Open(ctx, "mysql://nope")
	if err == nil {
		t.Fatal("Open of a non-PostgreSQL URL succeeded")
	}
}
