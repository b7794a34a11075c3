package bot

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

// Line is one message of a conversation, in either direction, as the
// system of record holds it.
type Line struct {
	// ID is the message's id in the inbox (FromDebtor) or the outbox: a
	// page that adds lines as they arrive tells them apart by it.
	ID         int64
	FromDebtor bool
	// CollectorID is the user who wrote an outbound line; 0 for the bot
	// (and for the debtor's lines).
	CollectorID int64
	Text        string
	Options     []string
	At          time.Time
}

// FromCollector reports whether a person, not the bot, wrote the line.
func (l Line) FromCollector() bool { return !l.FromDebtor && l.CollectorID != 0 }

// History returns the last messages of the conversation with address on
// channel, oldest first: what the debtor wrote (the inbox) and what was
// sent back (the outbox), interleaved by time. A channel page uses it to
// show a returning debtor the conversation so far, the console to show a
// collector the chat.
//
// The outbox does not say who wrote a message; the dossier does (a
// collector's reply is filed as message.out by collector:<id>, with its
// outbound_id). A reply in a conversation tied to no case has no dossier
// entry, and shows as the bot's.
func History(ctx context.Context, st casestore.Tx, channel, address string, limit int) ([]Line, error) {
	in, err := st.InboundMessages(ctx, channel, address, limit)
	if err != nil {
		return nil, err
	}
	out, err := st.OutboundFor(ctx, channel, address, limit)
	if err != nil {
		return nil, err
	}
	authors, err := replyAuthors(ctx, st, out)
	if err != nil {
		return nil, err
	}
	lines := make([]Line, 0, len(in)+len(out))
	for _, m := range in {
		var body struct {
			Text string `json:"text"`
		}
		_ = json.Unmarshal(m.Body, &body) // a body without text is a file: an empty line
		lines = append(lines, Line{ID: m.ID, FromDebtor: true, Text: body.Text, At: m.ReceivedAt})
	}
	for _, m := range out {
		lines = append(lines, Line{ID: m.ID, CollectorID: authors[m.ID], Text: m.Text, Options: m.Options, At: m.CreatedAt})
	}
	// Stable, and inbound first on a tie: a reply is created in the same
	// transaction as the message it answers.
	slices.SortStableFunc(lines, func(a, b Line) int { return a.At.Compare(b.At) })
	if len(lines) > limit {
		lines = lines[len(lines)-limit:]
	}
	return lines, nil
}

// authorPage is how many message.out entries replyAuthors reads at once.
const authorPage = 100

// replyAuthors maps the outbound messages a collector wrote to that
// collector, reading each case's message.out entries newest first, back
// to the oldest message in out (entries are filed in the transaction that
// enqueues the message, so nothing older can name one of them).
func replyAuthors(ctx context.Context, st casestore.Tx, out []*casestore.OutboundMessage) (map[int64]int64, error) {
	oldest := map[int64]time.Time{} // per case: the oldest message asked about
	for _, m := range out {
		if m.CaseID == 0 {
			continue
		}
		if t, ok := oldest[m.CaseID]; !ok || m.CreatedAt.Before(t) {
			oldest[m.CaseID] = m.CreatedAt
		}
	}
	authors := map[int64]int64{}
	for caseID, from := range oldest {
		// A margin for the two clocks of one transaction (the entry's and
		// the message's) differing by a little.
		from = from.Add(-time.Minute)
		q := casestore.DossierQuery{Kinds: []casestore.EntryKind{casestore.EntryMessageOut}, Limit: authorPage}
		for {
			entries, err := st.Dossier(ctx, caseID, q)
			if err != nil {
				return nil, err
			}
			for _, e := range entries {
				if id, ok := CollectorOf(e.Actor); ok {
					var body struct {
						OutboundID int64 `json:"outbound_id"`
					}
					if json.Unmarshal(e.Body, &body) == nil && body.OutboundID != 0 {
						authors[body.OutboundID] = id
					}
				}
			}
			if len(entries) < q.Limit || entries[len(entries)-1].At.Before(from) {
				break
			}
			q.BeforeID = entries[len(entries)-1].ID
		}
	}
	return authors, nil
}

// CollectorActor is how the dossier names a collector who acted.
func CollectorActor(userID int64) casestore.Actor {
	return casestore.Actor("collector:" + strconv.FormatInt(userID, 10))
}

// CollectorOf returns the user id of a collector actor ("collector:12").
func CollectorOf(a casestore.Actor) (int64, bool) {
	s, ok := strings.CutPrefix(string(a), "collector:")
	if !ok {
		return 0, false
	}
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0
}
