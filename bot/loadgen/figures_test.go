package loadgen

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// scripts/bench.sh reads these keys with jq to build the tables of
// docs/BENCHMARKS.md: a renamed or mis-scaled field would print a wrong
// figure without anyone noticing.
func TestWriteJSONHasTheFiguresBenchReads(t *testing.T) {
	rep := (&Stats{errors: map[string]int{}}).report(0)
	rep.Elapsed, rep.Sent, rep.Accepted, rep.MessagesPerSec = 4*time.Second, 10, 9, 2.25
	rep.DuplicatesSent, rep.DuplicatesOK = 2, 2
	rep.Webhook = summarise([]time.Duration{1500 * time.Microsecond, 3 * time.Millisecond, 250 * time.Millisecond})
	rep.Reply = summarise([]time.Duration{7 * time.Millisecond})
	rep.Errors = map[string]int{"no reply within 15s": 1}
	rep.Audit = &Audit{Accepted: 9, Lost: 1, InDossier: 8, DuplicatesOnce: 2, RepliesSent: 9, RepliesReceived: 8, RepliesMissing: 1, ExtraDeliveries: 3}
	var buf bytes.Buffer
	if err := rep.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var got struct {
		ElapsedS       float64        `json:"elapsed_s"`
		Accepted       int            `json:"accepted"`
		MsgPerS        float64        `json:"msg_per_s"`
		DuplicatesSent int            `json:"duplicates_sent"`
		Errors         map[string]int `json:"errors"`
		Webhook        struct {
			N     int     `json:"n"`
			P50Ms float64 `json:"p50_ms"`
			P99Ms float64 `json:"p99_ms"`
			MaxMs float64 `json:"max_ms"`
		} `json:"webhook"`
		Reply struct {
			P50Ms float64 `json:"p50_ms"`
		} `json:"reply"`
		Audit struct {
			OK              bool `json:"ok"`
			Lost            int  `json:"lost"`
			DuplicatesOnce  int  `json:"duplicates_once"`
			RepliesMissing  int  `json:"replies_missing"`
			ExtraDeliveries int  `json:"extra_deliveries"`
		} `json:"audit"`
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("report is not JSON: %v\n%s", err, buf.String())
	}
	w := got.Webhook
	switch {
	case got.ElapsedS != 4 || got.Accepted != 9 || got.MsgPerS != 2.25 || got.DuplicatesSent != 2:
		t.Errorf("counts: %+v", got)
	case w.N != 3 || w.P50Ms != 3 || w.P99Ms != 250 || w.MaxMs != 250 || got.Reply.P50Ms != 7:
		t.Errorf("latencies must be in milliseconds: webhook %+v, reply %+v", w, got.Reply)
	case got.Audit.OK || got.Audit.Lost != 1 || got.Audit.DuplicatesOnce != 2 || got.Audit.RepliesMissing != 1 || got.Audit.ExtraDeliveries != 3:
		t.Errorf("audit: %+v (one lost message is not OK)", got.Audit)
	case got.Errors["no reply within 15s"] != 1:
		t.Errorf("errors: %v", got.Errors)
	}
	// Sub-millisecond latencies keep their fraction: a rounded 1 ms would hide a 50% change.
	if one := summarise([]time.Duration{1500 * time.Microsecond}); one.jsonMs()["p50_ms"] != 1.5 {
		t.Errorf("1.5 ms as %v", one.jsonMs()["p50_ms"])
	}
}

func TestSpliceFiguresReplacesOnlyBetweenTheMarkers(t *testing.T) {
	doc := "# Benchmarks\n\nHow to run.\n\n" + FiguresBegin + "\nold table\n| a | b |\n" + FiguresEnd + "\n\nWhere time goes.\n"
	got, err := SpliceFigures(doc, "\n## Run of today\n\n| x | y |\n\n")
	if err != nil {
		t.Fatal(err)
	}
	want := "# Benchmarks\n\nHow to run.\n\n" + FiguresBegin + "\n## Run of today\n\n| x | y |\n" + FiguresEnd + "\n\nWhere time goes.\n"
	if got != want {
		t.Fatalf("spliced:\n%s\nwant:\n%s", got, want)
	}
	again, err := SpliceFigures(got, "\n## Run of today\n\n| x | y |\n\n")
	if err != nil || again != got {
		t.Errorf("splicing the same figures again changed the document:\n%s (%v)", again, err)
	}
	empty, err := SpliceFigures(got, "")
	if err != nil || !strings.Contains(empty, FiguresBegin+"\n"+FiguresEnd) {
		t.Errorf("no figures: %q, %v", empty, err)
	}
}

func TestSpliceFiguresRefusesADocumentWithoutProperMarkers(t *testing.T) {
	for name, doc := range map[string]string{
		"no markers":     "# Benchmarks\n",
		"begin only":     FiguresBegin + "\n",
		"twice":          FiguresBegin + "\n" + FiguresEnd + "\n" + FiguresBegin + "\n" + FiguresEnd + "\n",
		"end before":     FiguresEnd + "\n" + FiguresBegin + "\n",
		"not on a line":  "text " + FiguresBegin + "\n" + FiguresEnd + "\n",
		"end mid-line":   FiguresBegin + "\nfigures" + FiguresEnd + "\n",
		"begin trailing": FiguresBegin + " x\n" + FiguresEnd + "\n",
	} {
		got, err := SpliceFigures(doc, "| new |")
		if err == nil || got != doc {
			t.Errorf("%s: SpliceFigures = %q, %v; want an error and the document unchanged", name, got, err)
		}
	}
}
