package bot

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

// Line is one message of a conversation, in either direction, as the
// system of record holds it.
type Line struct {
	FromDebtor bool
	Text       string
	Options    []string
	At         time.Time
}

// History returns the last messages of the conversation with address on
// channel, oldest first: what the debtor wrote (the inbox) and what was
// sent back (the outbox), interleaved by time. A channel page uses it to
// show a returning debtor the conversation so far.
func History(ctx context.Context, st casestore.Tx, channel, address string, limit int) ([]Line, error) {
	in, err := st.InboundMessages(ctx, channel, address, limit)
	if err != nil {
		return nil, err
	}
	out, err := st.OutboundFor(ctx, channel, address, limit)
	if err != nil {
		return nil, err
	}
	lines := make([]Line, 0, len(in)+len(out))
	for _, m := range in {
		var body struct {
			Text string `json:"text"`
		}
		_ = json.Unmarshal(m.Body, &body) // a body without text is a file: an empty line
		lines = append(lines, Line{FromDebtor: true, Text: body.Text, At: m.ReceivedAt})
	}
	for _, m := range out {
		lines = append(lines, Line{Text: m.Text, Options: m.Options, At: m.CreatedAt})
	}
	// Stable, and inbound first on a tie: a reply is created in the same
	// transaction as the message it answers.
	slices.SortStableFunc(lines, func(a, b Line) int { return a.At.Compare(b.At) })
	if len(lines) > limit {
		lines = lines[len(lines)-limit:]
	}
	return lines, nil
}
