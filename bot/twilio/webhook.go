package twilio

import (
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/casestore"
)

// emptyTwiML answers an inbound message without replying in the same
// breath: replies go out through the Sender (the outbox), so they are
// committed first and retried on failure.
const emptyTwiML = `<?xml version="1.0" encoding="UTF-8"?><Response></Response>`

// NewWebhook handles Twilio's incoming-message webhook (POST
// /webhooks/twilio) for SMS and WhatsApp alike. It answers
//
//	403 when X-Twilio-Signature is missing or wrong (the sink is not called),
//	415 when the body is not declared a form (application/x-www-form-urlencoded),
//	413 when the form is over 64 KiB, 400 when it is malformed or lacks
//	MessageSid or From, 503 when a media file could not be fetched or the
//	instance is busy (bot.ErrBusy, with Retry-After), 500 when
//	the sink could not commit, and 200 with empty TwiML once it did.
//
// Twilio retries a webhook that failed (depending on the webhook's
// connection overrides); the sink's dedupe on MessageSid makes that safe.
func NewWebhook(cfg Config, sink bot.Sink, log *slog.Logger) http.Handler {
	if log == nil {
		log = slog.Default()
	}
	log = log.With("channel_provider", "twilio")
	if cfg.AuthToken == "" || cfg.PublicURL == "" {
		log.Error("twilio webhook: AuthToken or PublicURL not set; every request will be refused")
	}
	media := newMediaFetcher(cfg)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !readSignedForm(w, r, cfg, log) {
			return
		}
		in, err := parseInbound(r, cfg)
		if errors.Is(err, errIgnored) {
			log.Warn("twilio webhook: ignored a message from an unsupported address kind", "message_sid", in.ProviderID)
			writeTwiML(w)
			return
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if in.Media, err = media.fetchAll(r.Context(), r.PostForm); err != nil {
			// Twilio keeps the file; a retry of this webhook fetches it again.
			log.Warn("twilio webhook: media fetch failed", "message_sid", in.ProviderID, "err", err)
			http.Error(w, "media not available yet", http.StatusServiceUnavailable)
			return
		}
		if err := sink.Receive(r.Context(), in); errors.Is(err, bot.ErrBusy) {
			// Refused at the door: Twilio retries when the webhook URL asks
			// it to (#rc=…&rp=5xx, see the README).
			log.Debug("twilio webhook: busy, refused", "message_sid", in.ProviderID)
			bot.RefuseBusy(w)
			return
		} else if err != nil {
			log.Error("twilio webhook: message not committed", "message_sid", in.ProviderID, "err", err)
			http.Error(w, "not committed", http.StatusInternalServerError)
			return
		}
		log.Info("twilio webhook: message received", "message_sid", in.ProviderID, "channel", in.Channel, "media", len(in.Media))
		// Never the number or the words, not even at debug level: those go
		// to the dossier only.
		log.Debug("twilio webhook: message content", "message_sid", in.ProviderID, "text_bytes", len(in.Text))
		writeTwiML(w)
	})
}

// readSignedForm reads the request's form within the size limit and
// checks its signature, answering the request itself when either fails.
func readSignedForm(w http.ResponseWriter, r *http.Request, cfg Config, log *slog.Logger) bool {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return false
	}
	// Twilio posts forms. Anything else would parse as an empty form and be
	// refused later for a missing field; say what is wrong instead.
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/x-www-form-urlencoded" {
		http.Error(w, "send the webhook as application/x-www-form-urlencoded", http.StatusUnsupportedMediaType)
		return false
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxWebhookBody)
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
			return false
		}
		http.Error(w, "malformed form", http.StatusBadRequest)
		return false
	}
	if !validSignature(cfg.AuthToken, cfg.PublicURL, r) {
		log.Warn("twilio webhook: refused a request without a valid signature", "path", r.URL.Path, "remote", r.RemoteAddr)
		http.Error(w, "invalid signature", http.StatusForbidden)
		return false
	}
	return true
}

func writeTwiML(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(emptyTwiML))
}

// errIgnored marks a message the bot cannot answer (an address kind it
// does not know, such as "messenger:"): acknowledged so Twilio does not
// retry, and not passed on.
var errIgnored = errors.New("address kind not supported")

// parseInbound reads the message fields of a signed form; media are
// fetched separately.
func parseInbound(r *http.Request, cfg Config) (bot.Inbound, error) {
	f := r.PostForm
	in := bot.Inbound{ProviderID: strings.TrimSpace(f.Get("MessageSid")), At: cfg.now()}
	if in.ProviderID == "" {
		return in, errors.New("MessageSid is missing")
	}
	from := strings.TrimSpace(f.Get("From"))
	if from == "" {
		return in, errors.New("From is missing")
	}
	in.Channel = ChannelSMS
	if rest, ok := strings.CutPrefix(from, whatsAppPrefix); ok {
		in.Channel, from = ChannelWhatsApp, rest
	} else if strings.Contains(from, ":") {
		return in, errIgnored
	}
	phone, err := normalisePhone(from)
	if err != nil {
		return in, err
	}
	in.From, in.Phone = phone, phone
	in.Text = bot.CapRunes(strings.ToValidUTF8(f.Get("Body"), "\uFFFD"), maxTextRunes)
	if n := f.Get("NumMedia"); n != "" {
		if _, err := strconv.Atoi(n); err != nil {
			return in, fmt.Errorf("NumMedia %q is not a number", n)
		}
	}
	return in, nil
}

// normalisePhone returns a sender's number in E.164. Twilio already sends
// E.164, which is kept as is (a stale number plan must not refuse a real
// debtor); anything else is parsed the way the case store parses numbers.
func normalisePhone(raw string) (string, error) {
	if isE164(raw) {
		return raw, nil
	}
	p, err := casestore.NormalizePhone(raw)
	if err != nil {
		return "", fmt.Errorf("From is not a phone number: %w", err)
	}
	return p, nil
}
