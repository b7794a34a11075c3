package main

import (
	"bufio"
	"context"
	"encoding/json"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot/api"
	"github.com/incassobot/incassobot/casestore"
)

// chat runs `incassobot chat` with the given lines on stdin and returns the
// --json turns.
func (te *testEnv) chat(t *testing.T, args []string, lines ...string) []chatTurn {
	t.Helper()
	te.stdout = &syncBuffer{}
	e := &env{
		getenv: func(k string) string { return te.vars[k] },
		stdin:  strings.NewReader(strings.Join(lines, "\n") + "\n"),
		stdout: te.stdout, stderr: te.stderr,
		now: te.clock,
	}
	e.logLevel = new(slog.LevelVar)
	e.log = slog.New(slog.NewTextHandler(te.stderr, &slog.HandlerOptions{Level: e.logLevel}))
	if err := runEnv(context.Background(), e, append([]string{"incassobot", "chat"}, args...)); err != nil {
		t.Fatalf("chat: %v\n%s", err, te.stderr)
	}
	var turns []chatTurn
	sc := bufio.NewScanner(strings.NewReader(te.stdout.String()))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var tr chatTurn
		if err := json.Unmarshal(sc.Bytes(), &tr); err != nil {
			t.Fatalf("a --json line is not JSON: %v\n%s", err, sc.Text())
		}
		turns = append(turns, tr)
	}
	if len(turns) != len(lines) {
		t.Fatalf("%d lines in, %d turns out:\n%s", len(lines), len(turns), te.stdout)
	}
	return turns
}

func (te *testEnv) clock() time.Time { return te.now }

func hasKind(entries []api.Entry, kind casestore.EntryKind) bool {
	for _, e := range entries {
		if e.Kind == string(kind) {
			return true
		}
	}
	return false
}

func TestChatJSONIsAWholeVerifiedConversation(t *testing.T) {
	t.Parallel()
	te := newTestEnv(t)
	turns := te.chat(t, []string{"--case", "IB-2026-000101", "--json"},
		"hallo",
		"IB-2026-000101 3512JK", // the demo debtor's postcode
		"hoeveel moet ik nog betalen?",
		"kan ik 50 euro per maand betalen",
	)
	if turns[0].Verified || turns[0].Intent != "greeting" || strings.Contains(turns[0].Reply, "€") {
		t.Errorf("turn 1: want an unverified greeting that shows no amount, got %+v", turns[0])
	}
	if !turns[1].Verified || !hasKind(turns[1].Dossier, "verification.succeeded") {
		t.Errorf("turn 2: want verified with the verification in the dossier, got %+v", turns[1])
	}
	bal := turns[2]
	if bal.Intent != "balance" || !strings.Contains(bal.Reply, "€") || !hasKind(bal.Dossier, casestore.EntryBalanceShown) {
		t.Errorf("turn 3: want the balance shown and filed, got %+v", bal)
	}
	if !hasKind(bal.Dossier, casestore.EntryMessageIn) || !hasKind(bal.Dossier, casestore.EntryMessageOut) {
		t.Errorf("turn 3: both directions must be in the dossier, got %v", bal.Dossier)
	}
	plan := turns[3]
	var entities struct {
		Amounts []string `json:"amounts"`
	}
	if err := json.Unmarshal(plan.Entities, &entities); err != nil || plan.Intent != "plan" || len(entities.Amounts) != 1 || entities.Amounts[0] != "50.00" {
		t.Errorf("turn 4: want intent plan with the amount 50.00, got intent %q entities %s", plan.Intent, plan.Entities)
	}
}

// chat --json speaks the project's JSON convention all through: snake_case
// names (no Go field names from the entities or the dossier entries) and
// money with two decimals, also inside the plan the dossier recorded.
func TestChatJSONIsSnakeCaseWithTwoDecimalMoney(t *testing.T) {
	t.Parallel()
	te := newTestEnv(t)
	te.chat(t, []string{"--case", "IB-2026-000101", "--json"},
		"IB-2026-000101 3512JK", "hoeveel moet ik nog betalen?", "kan ik 50 euro per maand betalen")
	out := te.stdout.String()
	for _, want := range []string{`"dossier_ref":"IB-2026-000101"`, `"amounts":["50.00"]`, `"principal":"390.60"`,
		`"down_payment":"0.00"`, `"monthly":"50.00"`, `"kind":"plan.proposed"`, `"installments":[{"amount":"`} {
		if !strings.Contains(out, want) {
			t.Errorf("chat --json lacks %s", want)
		}
	}
	// A Go field name is a capitalised JSON key; decimal's shortest form
	// is an amount with fewer than two decimals.
	if m := regexp.MustCompile(`"[A-Z][A-Za-z]*":`).FindString(out); m != "" {
		t.Errorf("chat --json has the Go field name %s", m)
	}
	if m := regexp.MustCompile(`"(principal|open|total|amount|paid|monthly)":"[0-9]+(\.[0-9])?"`).FindString(out); m != "" {
		t.Errorf("chat --json has an amount without two decimals: %s", m)
	}
}

func TestASecondChatSessionIsAnsweredToo(t *testing.T) {
	t.Parallel()
	te := newTestEnv(t)
	te.chat(t, []string{"--case", "IB-2026-000101", "--json"}, "hallo")
	again := te.chat(t, []string{"--case", "IB-2026-000101", "--json"}, "hallo")
	if again[0].Reply == "" {
		t.Fatalf("the second session's first message got no reply (taken for a provider retry?): %+v", again[0])
	}
}

func TestChatOverTelegramAsksForThePhoneFirst(t *testing.T) {
	t.Parallel()
	te := newTestEnv(t)
	turns := te.chat(t, []string{"--case", "IB-2026-000101", "--channel", "telegram", "--json"},
		"saldo",
		chatShare,
		"IB-2026-000101 3512JK",
	)
	if turns[0].Verified || !turns[0].Replies[0].AskPhone {
		t.Errorf("turn 1: Telegram without a number must ask to share it, got %+v", turns[0])
	}
	if !turns[2].Verified {
		t.Errorf("after sharing the phone and verifying, want verified, got %+v", turns[2])
	}
}

func TestChatRefusesUnknownCaseAndChannel(t *testing.T) {
	t.Parallel()
	te := newTestEnv(t)
	seedDemo(t, te)
	for _, args := range [][]string{
		{"chat", "--case", "IB-0000-000000"},
		{"chat", "--case", "IB-2026-000101", "--channel", "pigeon"},
		{"chat"},
	} {
		err := te.run(context.Background(), args...)
		if err == nil || exitCode(err) != 2 {
			t.Errorf("%v: want a usage error (exit 2), got %v", args, err)
		}
	}
}

// OFFICE_HOURS decides what a debtor asking for a person is told: the test
// clock is a Saturday morning, closed by default, open for an office that
// works Saturdays.
func TestChatHandoffFollowsOfficeHours(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ hours, want string }{
		{"", "vanaf maandag 16 maart om 9:00"},
		{"mon-sat 09:00-17:00", "binnen een uur"},
	} {
		te := newTestEnv(t)
		if tc.hours != "" {
			te.vars["OFFICE_HOURS"] = tc.hours
		}
		turns := te.chat(t, []string{"--case", "IB-2026-000101", "--json"}, "ik wil een medewerker spreken")
		if !strings.Contains(turns[0].Reply, tc.want) {
			t.Errorf("OFFICE_HOURS=%q: reply %q lacks %q", tc.hours, turns[0].Reply, tc.want)
		}
	}
}
