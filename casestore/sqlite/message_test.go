package sqlite_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/incassobot/incassobot/casestore"
)

// TestInboundMessagesRefuseUpdateAndDelete: what a debtor wrote stays as it
// was, even against SQL typed by hand.
func TestInboundMessagesRefuseUpdateAndDelete(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "incassobot.db")
	s := openFile(t, path)
	m := &casestore.InboundMessage{Channel: "sms", ProviderID: "SM1", From: "+31612345678",
		Body: json.RawMessage(`{"text":"Ik betaal op 1 mei"}`)}
	if err := s.RecordInbound(ctx, m); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, stmt := range []string{
		`UPDATE inbound_messages SET body = '{"text":"nooit gezegd"}' WHERE id = ?`,
		`DELETE FROM inbound_messages WHERE id = ?`,
	} {
		_, err := raw.ExecContext(ctx, stmt, m.ID)
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: error %v, want the append-only trigger to refuse", stmt, err)
		}
	}
	got, err := s.InboundMessages(ctx, "sms", "+31612345678", 0)
	if err != nil || len(got) != 1 || string(got[0].Body) != string(m.Body) {
		t.Errorf("inbox after the refused changes: %v %+v", err, got)
	}
}
