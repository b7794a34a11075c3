package bot

import (
	"time"
	"unicode/utf8"
)

// Inbound is one message from a debtor, as a channel adapter normalised it.
// Adapters know their provider and nothing of dialogs: this is the whole
// contract between them and the bot.
type Inbound struct {
	Channel    string // "sms", "whatsapp", "telegram", "web", "cli"
	ProviderID string // the provider's message id (MessageSid, update_id): the dedupe key
	From       string // the sender's address on the channel (E.164, chat id, web chat conversation id)
	// Client is the network address the web chat's request came from:
	// verification attempts are limited per client. Never filed, except
	// as a hash in the attempt counters.
	Client string
	// Phone is the sender's E.164 number when the channel vouches for it:
	// SMS and WhatsApp always, Telegram only with a shared contact. On
	// e-mail it is the sender's address, when the provider authenticated
	// it (SPF or DKIM): the debtor is identified by the address on file.
	Phone       string
	PhoneShared bool // Phone came from Telegram's "share my number" button just now
	Text        string
	Media       []Media
	At          time.Time

	removed []string // what sanitise took out of Text, for the dossier
}

// Media is a file that came with a message. The channel fetches it from
// its provider and passes the bytes; the router keeps them as evidence in
// the same transaction as the message and fills Ref. A file over the
// channel's size limit comes with Size set and no Data, so the dialog can
// say politely that it is too large.
type Media struct {
	ContentType string
	Ref         string // where the file is kept, once stored
	Size        int64
	Data        []byte `json:"-"`
}

// ConversationKey identifies one conversation: one sender on one channel.
func (in Inbound) ConversationKey() string { return in.Channel + ":" + in.From }

// CapRunes cuts s to at most n runes, never inside a rune. Channels bound
// a debtor's text with it: a long paste is cut, not refused, so the debtor
// still gets an answer.
func CapRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for count := 0; count < n; count++ {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i]
}
