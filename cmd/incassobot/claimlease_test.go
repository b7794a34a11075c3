package main

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

// CLAIM_LEASE is read and checked like every other variable.
func TestClaimLeaseConfig(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		value string
		want  time.Duration
		bad   bool
	}{
		{"", 0, false}, // the console's own default (15m)
		{"20m", 20 * time.Minute, false},
		{"2s", 2 * time.Second, false},
		{"100ms", 0, true},
		{"a while", 0, true},
	} {
		cfg, err := loadConfig(func(k string) string {
			if k == "CLAIM_LEASE" {
				return tc.value
			}
			return ""
		})
		if tc.bad {
			if err == nil || !strings.Contains(err.Error(), "CLAIM_LEASE") || exitCode(err) != 2 {
				t.Errorf("CLAIM_LEASE=%q: want a configuration error naming it, got %v", tc.value, err)
			}
			continue
		}
		if err != nil || cfg.ClaimLease != tc.want {
			t.Errorf("CLAIM_LEASE=%q: lease %s, err %v; want %s", tc.value, cfg.ClaimLease, err, tc.want)
		}
	}
}

// A chat a collector claimed and left unanswered goes back to the queue
// once CLAIM_LEASE has passed: serve's own expiry does it, and the log
// says whose claim lapsed.
func TestE2EClaimLeaseReturnsUnansweredChat(t *testing.T) {
	t.Parallel()
	s := startE2E(t, e2eConfig{vars: map[string]string{"CLAIM_LEASE": "2s"}})
	s.newCase(e2eRef, e2eDebtorPhone)
	d := s.debtor("whatsapp", e2eDebtorPhone)
	d.says(e2eRef + " 1234AB")
	d.says("ik wil iemand spreken")
	ctx := context.Background()
	h, err := s.store.OpenHandoff(ctx, "whatsapp", e2eDebtorPhone)
	must(t, err, "asking for a person queues the chat")
	anna := s.addConsoleUser("anna@incasso.example", "Anna de Vries", casestore.RoleCollector)
	cc := consoleLogin(t, s.url, anna.Email)
	if code := cc.post("/console/handoffs/" + strconv.FormatInt(h.ID, 10) + "/claim"); code != http.StatusSeeOther {
		t.Fatalf("claim: %d, want 303", code)
	}
	claimed, err := s.store.OpenHandoff(ctx, "whatsapp", e2eDebtorPhone)
	must(t, err, "read the claimed chat")
	if claimed.Status != casestore.HandoffClaimed || claimed.CollectorID != anna.ID {
		t.Fatalf("after the claim: %s by %d, want claimed by %d", claimed.Status, claimed.CollectorID, anna.ID)
	}

	deadline := time.Now().Add(30 * time.Second)
	for {
		cur, err := s.store.OpenHandoff(ctx, "whatsapp", e2eDebtorPhone)
		must(t, err, "read the chat")
		if cur.Status == casestore.HandoffQueued && cur.TimesExpired == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("30s after a 2s claim lease the chat is %s (expired %d times), want back in the queue", cur.Status, cur.TimesExpired)
		}
		time.Sleep(100 * time.Millisecond)
	}
	events, err := s.store.HandoffLog(ctx, h.ID)
	must(t, err, "handoff log")
	last := events[len(events)-1]
	if last.Action != casestore.ActionExpired || last.CollectorID != anna.ID {
		t.Errorf("last log line: %s by %d, want expired naming Anna (%d)", last.Action, last.CollectorID, anna.ID)
	}
}
