package bot

import (
	"context"
	"errors"
	"time"
)

// Sink is where channel adapters deliver what they normalised. Receive
// returns nil only once the message is committed, or kept durably to be
// committed later (Router.Spool), so the webhook may then answer 2xx; an
// error means nothing was kept and the provider must retry.
// A retry of a message already committed returns nil and does nothing.
type Sink interface {
	Receive(ctx context.Context, in Inbound) error
	// DeliveryStatus records a provider's delivery report for a message
	// the bot sent; an unknown ProviderID is not an error (ignored).
	DeliveryStatus(ctx context.Context, s DeliveryStatus) error
}

// DeliveryStatus is a provider's report on a sent message.
type DeliveryStatus struct {
	Channel    string
	ProviderID string // the id Sender.Send returned
	Status     string // "sent", "delivered", "read", "failed", "undelivered"
	ErrorCode  string // the provider's code when it failed
	At         time.Time
}

// Outgoing is one message for a channel to deliver.
type Outgoing struct {
	// ID is the message's outbox id; a provider that keeps a reference
	// per message (Twilio's status callback URL) carries it.
	ID       int64
	Channel  string
	To       string // the address the debtor wrote from
	Text     string
	Options  []string // button labels where the channel has buttons
	AskPhone bool     // Telegram: offer the "share my phone number" button
	// Template: WhatsApp outside the 24-hour window may only send an
	// approved template; the sender sets this and the Twilio channel sends
	// the template (content SID) with Text as its variable.
	Template bool
	// TemplateType is an automated follow-up's message type
	// (bot/followup): the Twilio channel sends that type's own approved
	// template when it has one.
	TemplateType string
	// CaseRef is the case's dossier number, for channels that head a
	// message with it (the e-mail subject); the outbox fills it for those.
	CaseRef string
	// Attachments are the documents the message carries (e-mail only);
	// the outbox fills them from the message's attachment names.
	Attachments []Attachment
}

// Attachment is a file sent with a message.
type Attachment struct {
	Name        string // file name the debtor sees, "specificatie-IB-2026-000777.pdf"
	ContentType string // application/pdf, image/jpeg, image/png
	Data        []byte
}

// Attacher makes the files an outbound message names (casestore.
// OutboundMessage.Attachments) for the case they belong to.
type Attacher interface {
	Attachments(ctx context.Context, caseID int64, names []string) ([]Attachment, error)
}

// Sender delivers messages on one channel. Send returns the provider's id
// for the message. Its errors say whether trying again can help.
type Sender interface {
	Send(ctx context.Context, m Outgoing) (providerID string, err error)
}

// DeliveryChecker is a Sender that can ask its provider whether a
// message already went out. The outbox asks before it sends again a
// message whose earlier sender's lease ran out mid-send (a crash between
// the provider's acceptance and MarkSent), so the debtor does not get it
// twice. FindSent returns the provider's id of m if the provider accepted
// it after since, "" if not; known reports provider ids that belong to
// other messages of the outbox, which must not be taken for m.
type DeliveryChecker interface {
	FindSent(ctx context.Context, m Outgoing, since time.Time, known func(providerID string) bool) (providerID string, err error)
}

// SendError is a failed send, typed so the outbox sender decides retry or
// give-up in one place.
type SendError struct {
	Err        error
	Temporary  bool          // 429, 5xx, timeouts: try again later
	RetryAfter time.Duration // the provider's hint, zero when none
}

func (e *SendError) Error() string { return e.Err.Error() }
func (e *SendError) Unwrap() error { return e.Err }

// Retryable reports whether trying again later can succeed.
func (e *SendError) Retryable() bool { return e.Temporary }

// IsRetryable reports whether err is a SendError that may succeed later.
// Errors that are not SendErrors (a cancelled context, say) are retryable:
// nothing says the provider refused.
func IsRetryable(err error) bool {
	var se *SendError
	if errors.As(err, &se) {
		return se.Temporary
	}
	return true
}
