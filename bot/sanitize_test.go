package bot_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/casestore"
)

// A message with NUL, bytes that are not UTF-8 or bidirectional overrides
// is filed on every store (PostgreSQL refused NUL: a 500 on every provider
// retry, for ever), without them, and the dossier says what was removed.
func TestTextEveryStoreRefusesIsCleanedAndRecorded(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			f := newFixture(t, b)
			in := bot.Inbound{Channel: "sms", ProviderID: "SM\x00nul", From: debtorPhone, Phone: debtorPhone,
				Text: "saldo\x00 graag \u202Etxt.exe\u202C \xff"}
			if _, err := f.conv.Handle(context.Background(), in); err != nil {
				t.Fatalf("Handle: %v", err)
			}
			if _, err := f.conv.Handle(context.Background(), in); err != nil { // the provider's retry
				t.Fatalf("Handle of the retry: %v", err)
			}
			var got []casestore.DossierEntry
			for _, e := range f.dossier() {
				if e.Kind == casestore.EntryMessageIn {
					got = append(got, e)
				}
			}
			if len(got) != 1 {
				t.Fatalf("filed %d times, want once", len(got))
			}
			var body struct {
				Text    string
				Removed []string
			}
			if err := json.Unmarshal(got[0].Body, &body); err != nil {
				t.Fatal(err)
			}
			want := []string{"U+0000 ×1", "U+202E ×1", "U+202C ×1", "invalid UTF-8 ×1"}
			if body.Text != "saldo graag txt.exe " || len(body.Removed) != len(want) {
				t.Fatalf("filed %q, removed %q; want %q, %q", body.Text, body.Removed, "saldo graag txt.exe ", want)
			}
			for i := range want {
				if body.Removed[i] != want[i] {
					t.Fatalf("removed %q, want %q", body.Removed, want)
				}
			}
		})
	}
}
