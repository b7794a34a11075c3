package dialogs

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// The labelled utterance sets: the development set (testdata/utterances-dev.tsv)
// and this package's own extra set, written with
// different wording. Intent accuracy must stay at or above the floor.

var fixtureNow = time.Date(2026, time.June, 10, 14, 0, 0, 0, time.UTC) // a Wednesday

type labelled struct {
	text   string
	intent Intent
	line   int
}

func readUtterances(t *testing.T, path string) []labelled {
	t.Helper()
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		if os.Getenv("CI") == "true" {
			t.Fatalf("fixture %s is missing", path)
		}
		t.Skipf("fixture %s is missing (set CI=true to fail instead)", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []labelled
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		text, label, ok := strings.Cut(line, "\t")
		if !ok {
			t.Fatalf("%s:%d: no tab between utterance and intent", path, n)
		}
		out = append(out, labelled{text: text, intent: Intent(strings.TrimSpace(label)), line: n})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatalf("%s holds no utterances", path)
	}
	return out
}

// splitBy19 are the labels issue #19 split off older ones (LABELS.md):
// a set labelled before it calls a request for the account number
// pay_now, "bel me niet meer" stop, identity fraud or a complaint dispute,
// a specification balance, a refund already_paid. In those sets the newer
// label counts for the older one; the exact figure is logged beside it.
var splitBy19 = map[Intent][]Intent{
	IntentPayNow: {IntentBankDetails}, IntentStop: {IntentContactPref}, IntentDispute: {IntentFraud, IntentComplaint},
	IntentBalance: {IntentSpecification}, IntentAlreadyPaid: {IntentRefund},
}

// measureIntents classifies every utterance, logs the misses and the
// accuracy, and fails below floor (a fraction). Every set read here was
// labelled before issue #19 (see splitBy19).
func measureIntents(t *testing.T, path string, floor float64) {
	set := readUtterances(t, path)
	hits, exact := 0, 0
	for _, u := range set {
		got := Understand(u.text, fixtureNow).Intent
		if got == u.intent {
			hits++
			exact++
			continue
		}
		if slices.Contains(splitBy19[u.intent], got) {
			hits++
			t.Logf("split %s:%d %q: labelled %s before issue #19, now %s", filepath.Base(path), u.line, u.text, u.intent, got)
			continue
		}
		t.Logf("miss %s:%d %q: want %s, got %s", filepath.Base(path), u.line, u.text, u.intent, got)
	}
	acc := float64(hits) / float64(len(set))
	msg := fmt.Sprintf("intent accuracy on %s: %d/%d = %.1f%% (exact labels %d/%d)", filepath.Base(path), hits, len(set), 100*acc, exact, len(set))
	t.Log(msg)
	if testing.Verbose() {
		fmt.Println(msg)
	}
	if acc < floor {
		t.Errorf("%s, below the floor of %.0f%%", msg, 100*floor)
	}
}

func TestIntentAccuracyDevSet(t *testing.T) {
	measureIntents(t, filepath.Join("testdata", "utterances-dev.tsv"), 0.95)
}

func TestIntentAccuracyExtraSet(t *testing.T) {
	path := filepath.Join("testdata", "utterances-extra.tsv")
	if n := len(readUtterances(t, path)); n < 60 {
		t.Errorf("the extra set holds %d utterances, want at least 60", n)
	}
	measureIntents(t, path, 0.90)
}

// The blind set was written before reading the lexicon, to estimate how the
// classifier does on wording nobody tuned it on.
func TestIntentAccuracyBlindSet(t *testing.T) {
	path := filepath.Join("testdata", "utterances-blind.tsv")
	if n := len(readUtterances(t, path)); n < 150 {
		t.Errorf("the blind set holds %d utterances, want at least 150", n)
	}
	measureIntents(t, path, 0.95)
}

// The second blind set was written after the lexicon was fixed on the
// first and measured before any tuning (46/60 first, see its header); it
// is held to a lower floor, like the extra set.
func TestIntentAccuracyBlind2Set(t *testing.T) {
	path := filepath.Join("testdata", "utterances-blind2.tsv")
	if n := len(readUtterances(t, path)); n < 60 {
		t.Errorf("the second blind set holds %d utterances, want at least 60", n)
	}
	measureIntents(t, path, 0.90)
}

// The third blind set was written after the second had been measured and
// fixed on, and measured before any tuning (42/48 first, see its header).
func TestIntentAccuracyBlind3Set(t *testing.T) {
	path := filepath.Join("testdata", "utterances-blind3.tsv")
	if n := len(readUtterances(t, path)); n < 48 {
		t.Errorf("the third blind set holds %d utterances, want at least 48", n)
	}
	measureIntents(t, path, 0.90)
}

// The fifth blind set (development) and the holdout set were written blind
// against the label contract in testdata/LABELS.md. Their untuned figures
// are in their headers; the holdout set is run, never read for tuning.
// The floors are the level reached, so a regression fails.
func TestIntentAccuracyBlind5Set(t *testing.T) {
	measureIntents(t, filepath.Join("testdata", "utterances-blind5.tsv"), 0.98)
}

func TestIntentAccuracyHoldoutSet(t *testing.T) {
	measureIntents(t, filepath.Join("testdata", "utterances-holdout.tsv"), 0.86)
}

// The sixth blind set was written blind on 2026-12-02 (session 5) against
// LABELS.md; its untuned figure is in its header.
func TestIntentAccuracyBlind6Set(t *testing.T) {
	measureIntents(t, filepath.Join("testdata", "utterances-blind6.tsv"), 1) // 150/150 after fixing its classes
}

// Session 6's blind sets, written on 2026-12-02 by two helpers who never
// read the code or the lexicons, at once and apart: one set is the
// development set (blind7), the other the hold-out (holdout2), never read
// for tuning. Floors at their untuned figures (headers) until work on
// them raises the development one.
func TestIntentAccuracyBlind7Set(t *testing.T) {
	measureIntents(t, filepath.Join("testdata", "utterances-blind7.tsv"), 0.91) // 137/150 untuned
}

func TestIntentAccuracyHoldout2Set(t *testing.T) {
	measureIntents(t, filepath.Join("testdata", "utterances-holdout2.tsv"), 0.95) // 143/150 untuned
}
