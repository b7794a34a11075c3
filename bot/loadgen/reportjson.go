package loadgen

import (
	"encoding/json"
	"io"
	"time"
)

// jsonMs is l in milliseconds, for WriteJSON.
func (l Latencies) jsonMs() map[string]any {
	msOf := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	return map[string]any{"n": l.N, "p50_ms": msOf(l.P50), "p95_ms": msOf(l.P95), "p99_ms": msOf(l.P99), "max_ms": msOf(l.Max)}
}

// WriteJSON writes the report as one JSON object, latencies in
// milliseconds: what scripts/bench.sh turns into the tables of
// docs/BENCHMARKS.md.
func (r *Report) WriteJSON(w io.Writer) error {
	out := map[string]any{
		"elapsed_s": r.Elapsed.Seconds(), "sent": r.Sent, "accepted": r.Accepted, "failed": r.Failed,
		"replies": r.Replies, "no_reply": r.NoReply, "retries": r.Retries,
		"duplicates_sent": r.DuplicatesSent, "duplicates_accepted": r.DuplicatesOK,
		"msg_per_s": r.MessagesPerSec, "webhook": r.Webhook.jsonMs(), "reply": r.Reply.jsonMs(), "errors": r.Errors,
	}
	if a := r.Audit; a != nil {
		out["audit"] = map[string]any{
			"skipped": a.Skipped, "ok": a.OK(), "accepted": a.Accepted, "lost": a.Lost,
			"in_dossier": a.InDossier, "dossier_missing": a.DossierMissing, "dossier_twice": a.DossierTwice,
			"duplicates_sent": a.DuplicatesSent, "duplicates_once": a.DuplicatesOnce,
			"replies_sent": a.RepliesSent, "replies_received": a.RepliesReceived, "replies_missing": a.RepliesMissing,
			"replies_waiting": a.RepliesWaiting, "replies_failed": a.RepliesFailed, "extra_deliveries": a.ExtraDeliveries,
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
