package casestore

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// The messaging records: every message that reached the bot (the inbox,
// which also deduplicates provider retries), every message the bot or a
// collector sends (the outbox, delivered by the sender after commit), and
// the senders who asked for no automated messages. They live in the system
// of record, not in Redis, because a debtor's words and what the debtor was
// told must survive any restart.

// InboundMessage is one message as a channel received it, filed whether or
// not a case is known yet (a stranger's messages belong to no dossier).
type InboundMessage struct {
	ID         int64
	Channel    string // "sms", "whatsapp", "telegram", "web"
	ProviderID string // unique per channel: a retry of the same webhook has the same one
	From       string // the sender's address on the channel
	CaseID     int64  // 0 when no case was known
	Body       json.RawMessage
	ReceivedAt time.Time
}

// OutboundStatus is where a message in the outbox stands.
type OutboundStatus string

const (
	OutboundPending   OutboundStatus = "pending"   // waits for the sender (or for NextAttempt)
	OutboundSending   OutboundStatus = "sending"   // claimed by a sender until LeaseUntil
	OutboundSent      OutboundStatus = "sent"      // the provider accepted it
	OutboundDelivered OutboundStatus = "delivered" // the provider confirmed delivery
	OutboundFailed    OutboundStatus = "failed"    // given up; LastError says why
)

// OutboundMessage is a message to a debtor, written in the same transaction
// as what caused it and delivered afterwards, so a crash between commit and
// send delays a reply but never loses it.
type OutboundMessage struct {
	ID        int64
	Channel   string
	To        string // the debtor's address on the channel
	CaseID    int64  // 0 when no case is known
	Text      string
	Options   []string // button labels, for channels that have them
	AskPhone  bool     // Telegram: ask to share the phone number
	Automated bool     // the bot started it (reminder), not a reply: opt-out and quiet hours apply
	// Attachments name documents of the case the message carries where
	// its channel can (e-mail): "specification", "invoice:<id>". Not the
	// bytes: the sender makes or reads them as it sends.
	Attachments []string
	// TemplateType is an automated follow-up's message type
	// (bot/followup): on WhatsApp outside the 24-hour window it picks
	// that type's approved template. "" for other messages.
	TemplateType string
	// BotReply: the dialog's answer in a conversation (not a collector's
	// message, a notice or a reminder); withheld, not sent, when a
	// collector claimed the conversation after it was committed.
	BotReply    bool
	Status      OutboundStatus
	Attempts    int
	NextAttempt time.Time
	LeaseUntil  time.Time
	ProviderID  string // the provider's id once sent (Twilio MessageSid, Telegram message_id)
	LastError   string
	CreatedAt   time.Time
	SentAt      *time.Time
	// Resumed: ClaimOutbound took the message over from a sender whose
	// lease ran out before it recorded the outcome, so the provider may
	// already have it. Set only on what ClaimOutbound returns.
	Resumed bool
}

// SentMark is one MarkSent of a MarkSentBatch.
type SentMark struct {
	ID         int64
	Attempt    int       // the claim's Attempts
	ProviderID string    // "" when the channel has none
	At         time.Time // the store's clock if zero
}

// OutboxBacklog is how far behind the outbox is (Tx.OutboxBacklog).
type OutboxBacklog struct {
	// OldestQueued is when the oldest message not yet handed to a
	// provider was queued (zero when none): held ones (quiet hours, a
	// retry's backoff, a recipient's earlier message) count too.
	OldestQueued time.Time
	// OldestDue is the earliest NextAttempt of a message a sender could
	// claim now (zero when none is waiting): now minus it is how late
	// the senders are.
	OldestDue time.Time
}

// CheckClaim refuses a ClaimOutbound that could only be a caller's bug.
func CheckClaim(now time.Time, limit int, lease time.Duration) error {
	switch {
	case now.IsZero():
		return fmt.Errorf("claim outbound messages: no time given: %w", ErrInvalid)
	case limit <= 0:
		return fmt.Errorf("claim outbound messages: limit %d is not positive: %w", limit, ErrInvalid)
	case lease <= 0:
		return fmt.Errorf("claim outbound messages: lease %v is not positive: %w", lease, ErrInvalid)
	}
	return nil
}

// Valid reports whether s is one of the statuses above.
func (s OutboundStatus) Valid() bool {
	switch s {
	case OutboundPending, OutboundSending, OutboundSent, OutboundDelivered, OutboundFailed:
		return true
	}
	return false
}

// Finished reports whether the sender is done with a message in status s:
// a later message to the same recipient may go out only then.
func (s OutboundStatus) Finished() bool {
	return s == OutboundSent || s == OutboundDelivered || s == OutboundFailed
}

// DeliveryMoves reports whether a provider's status callback saying to
// changes a message that stands at from. Only a sent message moves, to
// delivered or failed; both are final, so a repeated or late callback (a
// "sent" after "delivered") changes nothing.
func DeliveryMoves(from, to OutboundStatus) bool {
	return from == OutboundSent && (to == OutboundDelivered || to == OutboundFailed)
}

// Validate checks an inbound message before it is filed. An empty Body is
// allowed (the store files "{}"); any other Body must be a JSON object.
func (m *InboundMessage) Validate() error {
	switch {
	case m.Channel == "":
		return fmt.Errorf("inbound message: channel is empty: %w", ErrInvalid)
	case m.From == "":
		return fmt.Errorf("inbound %s message: sender address is empty: %w", m.Channel, ErrInvalid)
	case len(bytes.TrimSpace(m.Body)) > 0 && !jsonObject(m.Body):
		// The body is the debtor's data: say what is wrong, not what it is.
		return fmt.Errorf("inbound %s message: body is not a JSON object: %w", m.Channel, ErrInvalid)
	}
	return nil
}

// Validate checks a message before it enters the outbox.
func (m *OutboundMessage) Validate() error {
	switch {
	case m.Channel == "":
		return fmt.Errorf("outbound message: channel is empty: %w", ErrInvalid)
	case m.To == "":
		return fmt.Errorf("outbound %s message: recipient address is empty: %w", m.Channel, ErrInvalid)
	case m.Text == "":
		return fmt.Errorf("outbound %s message: text is empty: %w", m.Channel, ErrInvalid)
	}
	return nil
}

// jsonObject reports whether b is exactly one JSON object.
func jsonObject(b []byte) bool {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return false
	}
	_, ok := v.(map[string]any)
	return ok
}
