package postgres_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/casestore/postgres"
	"github.com/incassobot/incassobot/casestore/storetest"
	"github.com/jackc/pgx/v5"
)

// TestMediaSurvivesReopenAndRefusesChange: a debtor's file is evidence
// like the dossier. Another instance (a new pool) reads it byte for byte,
// and SQL that bypasses the store cannot change or remove it.
func TestMediaSurvivesReopenAndRefusesChange(t *testing.T) {
	s, url := openStoreAt(t)
	ctx := context.Background()
	c := storetest.NewCase(t, s, "IB-MEDIA-PG")
	data := storetest.StatementPDF()
	m := &casestore.Media{CaseID: c.ID, Channel: "web", ContentType: "application/pdf", Data: data}
	if err := s.AddMedia(ctx, m); err != nil {
		t.Fatal(err)
	}
	s.Close()

	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, sql := range []string{
		`UPDATE media SET data = '\x255044462d00'::bytea, size = 6 WHERE id = $1`,
		`UPDATE media SET case_id = NULL WHERE id = $1`,
		`DELETE FROM media WHERE id = $1`,
		// CASCADE: invoices name their copy in media (a foreign key), so a
		// plain TRUNCATE would be refused for that before the trigger runs.
		`TRUNCATE media CASCADE`,
	} {
		args := []any{m.ID}
		if strings.HasPrefix(sql, "TRUNCATE") {
			args = nil
		}
		if _, err := conn.Exec(ctx, sql, args...); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: got error %v, want the append-only refusal", sql, err)
		}
	}

	s2, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	got, err := s2.Media(ctx, m.ID)
	if err != nil {
		t.Fatalf("Media from a new instance: %v", err)
	}
	if !bytes.Equal(got.Data, data) || got.SHA256 != m.SHA256 || got.CaseID != c.ID {
		t.Errorf("file from a new instance: %d bytes, sha256 %s, case %d; want %d bytes, sha256 %s, case %d",
			len(got.Data), got.SHA256, got.CaseID, len(data), m.SHA256, c.ID)
	}
}
