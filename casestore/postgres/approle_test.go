package postgres_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/casestore/postgres"
	"github.com/incassobot/incassobot/casestore/storetest"
	"github.com/jackc/pgx/v5"
)

// Issue 13: the application's own role could disable the append-only
// triggers. Migrated by the owner, a login role in incassobot_app (the
// production set-up in the README) runs the store but can neither alter
// nor empty the evidence.
func TestAppRoleCannotAlterTheEvidence(t *testing.T) {
	owner, ownerURL := openStoreAt(t)
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, ownerURL)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	role := fmt.Sprintf("ib_app_test_%d", time.Now().UnixNano())
	if _, err := admin.Exec(ctx, `CREATE ROLE `+role+` LOGIN IN ROLE incassobot_app`); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), ownerURL)
		if err == nil {
			// Its rights live in the test database, which pgtest drops after.
			_, _ = c.Exec(context.Background(), `DROP OWNED BY `+role)
			_, _ = c.Exec(context.Background(), `DROP ROLE `+role)
			c.Close(context.Background())
		}
	})
	u, _ := url.Parse(ownerURL)
	u.User = url.User(role)
	app, err := postgres.Open(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()

	// The store works as the application's role.
	c := storetest.NewCase(t, app, "IB-ROLE")
	e := storetest.Note(t, app, c.ID, `{"text":"gesprek met debiteur"}`)
	if _, err := app.RequestHandoff(ctx, &casestore.Handoff{Channel: "sms", Address: "+31612345678", CaseID: c.ID,
		Reason: "asked", Priority: 1}); err != nil {
		t.Fatalf("handoff as the app role: %v", err)
	}
	if r, err := app.VerifyDossier(ctx, c.ID); err != nil || r.Broken != nil {
		t.Fatalf("verify as the app role: %v %v", r, err)
	}

	conn, err := pgx.Connect(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, q := range []string{
		`ALTER TABLE dossier DISABLE TRIGGER dossier_no_update_delete`,
		`ALTER TABLE dossier DISABLE TRIGGER ALL`,
		`DROP TRIGGER dossier_no_update_delete ON dossier`,
		`UPDATE dossier SET body = '{"text":"nooit gezegd"}' WHERE id = ` + fmt.Sprint(e.ID),
		`DELETE FROM dossier WHERE id = ` + fmt.Sprint(e.ID),
		`TRUNCATE dossier`,
		`UPDATE media SET channel = 'x'`,
		`DELETE FROM inbound_messages`,
		`CREATE TABLE sneaky (id int)`,
	} {
		_, err := conn.Exec(ctx, q)
		if err == nil || !(strings.Contains(err.Error(), "permission denied") || strings.Contains(err.Error(), "must be owner")) {
			t.Errorf("%s as the app role: %v, want permission denied", q, err)
		}
	}
	got, err := owner.Dossier(ctx, c.ID, casestore.DossierQuery{})
	if err != nil || len(got) != 1 || string(got[0].Body) != string(e.Body) {
		t.Errorf("dossier after the attempts: %v %v", got, err)
	}
}
