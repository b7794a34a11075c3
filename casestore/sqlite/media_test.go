package sqlite_test

import (
	"bytes"
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/casestore/storetest"
)

// TestMediaSurvivesReopenAndRefusesChange: a debtor's file is still there,
// byte for byte, after the binary restarts, and SQL typed by hand cannot
// change or remove it.
func TestMediaSurvivesReopenAndRefusesChange(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "incassobot.db")
	s := openFile(t, path)
	c := storetest.NewCase(t, s, "IB-MEDIA-FILE")
	data := storetest.PhotoJPEG(t)
	m := &casestore.Media{CaseID: c.ID, Channel: "whatsapp", ContentType: "image/jpeg", Data: data}
	if err := s.AddMedia(ctx, m); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, stmt := range []string{
		`UPDATE media SET data = x'FFD8FF00' , size = 4 WHERE id = ?`,
		`UPDATE media SET case_id = NULL WHERE id = ?`,
		`DELETE FROM media WHERE id = ?`,
	} {
		if _, err := raw.ExecContext(ctx, stmt, m.ID); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: error %v, want the append-only trigger to refuse", stmt, err)
		}
	}

	s2 := openFile(t, path) // a restart: open and migrate again
	got, err := s2.Media(ctx, m.ID)
	if err != nil {
		t.Fatalf("Media after reopen: %v", err)
	}
	if !bytes.Equal(got.Data, data) || got.SHA256 != m.SHA256 || got.CaseID != c.ID {
		t.Errorf("file after reopen: %d bytes, sha256 %s, case %d; want %d bytes, sha256 %s, case %d",
			len(got.Data), got.SHA256, got.CaseID, len(data), m.SHA256, c.ID)
	}
}
