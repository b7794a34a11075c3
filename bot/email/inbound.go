package email

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	netmail "net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/casestore"
)

// Inbound e-mail arrives through the mail provider's inbound route, as a
// signed HTTP POST: the format of Mailgun's forward() route ("fully
// parsed"), which other providers' inbound parse hooks or a small relay
// can produce as well. An agency runs this rather than an SMTP listener
// of its own: the provider holds the MX, the spam filtering, TLS and the
// queue (it retries a failed POST for hours), checks SPF and DKIM, and the
// mail reaches the bot through the same HTTPS entrance, load balancer and
// spool as the other channels' webhooks, on no port but 443.
//
// The form fields read:
//
//	timestamp, token, signature  hex HMAC-SHA256(EMAIL_INBOUND_SIGNING_KEY, timestamp+token)
//	from                         the From header ("Naam <adres@example.nl>")
//	Message-Id                   the dedupe key
//	body-plain                   the text part (HTML parts are never read)
//	stripped-text                the provider's text without quoted reply and signature, when given
//	message-headers              JSON [[name, value], …]: Authentication-Results, X-Mailgun-Spf, X-Mailgun-Dkim-Check-Result
//	attachment-count, attachment-1 …  files (PDF, JPEG, PNG are kept as evidence)

// Inbound configures the inbound webhook.
type Inbound struct {
	SigningKey string        // EMAIL_INBOUND_SIGNING_KEY: the provider's webhook signing key
	MaxAge     time.Duration // how old a signed timestamp may be; default 15 minutes
	Now        func() time.Time
	// Tokens remembers the signature tokens seen within MaxAge, on every
	// instance (the hot state): the signature covers only the timestamp
	// and the token, not the mail, so a captured request could otherwise
	// be replayed with other content until its timestamp is stale (red
	// team session 6, N2). Nil: no replay protection (tests of parsing).
	Tokens TokenLedger
}

// TokenLedger is what the webhook needs of the hot state to see a
// signature token twice: hotstate.Store has it.
type TokenLedger interface {
	Incr(ctx context.Context, key string, ttl time.Duration) (int64, error)
	Get(ctx context.Context, key string) ([]byte, error)
	Set(ctx context.Context, key string, val []byte, ttl time.Duration) error
}

const (
	maxTextRunes    = 4096
	maxForm         = 32 << 20 // a message with a few scans
	maxAttachments  = 5
	defaultMaxAge   = 15 * time.Minute
	statusNotForUs  = http.StatusNotAcceptable // 406: Mailgun does not retry it
	inboundRejected = "rejected"
)

// NewWebhook handles POST /webhooks/email. It answers 403 for a missing,
// wrong or stale signature (the sink is not called), 413 for a form over
// 32 MiB, 400 for a form that lacks the sender or the Message-Id, 406 for
// mail whose sender the provider could not authenticate (SPF and DKIM
// both not passed: the From line could be anyone's, and it would open that
// debtor's conversation), 500 when the sink could not commit, and 200
// once it did.
func NewWebhook(cfg Inbound, sink bot.Sink, log *slog.Logger) http.Handler {
	if log == nil {
		log = slog.Default()
	}
	log = log.With("channel_provider", "email")
	if cfg.SigningKey == "" {
		log.Error("email webhook: no signing key; every request will be refused")
	}
	if cfg.MaxAge <= 0 {
		cfg.MaxAge = defaultMaxAge
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxForm)
		var err error
		if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
			err = r.ParseMultipartForm(1 << 20)
		} else {
			err = r.ParseForm()
		}
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "message too large", http.StatusRequestEntityTooLarge)
			return
		}
		if err != nil {
			http.Error(w, "malformed form", http.StatusBadRequest)
			return
		}
		if !cfg.signed(r) {
			log.Warn("email webhook: bad or stale signature")
			http.Error(w, "bad signature", http.StatusForbidden)
			return
		}
		in, err := parseInbound(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if !cfg.firstUse(r.Context(), r.PostFormValue("token"), in.ProviderID, log) {
			log.Warn("email webhook: a signature token used again for another message; refused")
			http.Error(w, "signature already used", http.StatusForbidden)
			return
		}
		if !authenticated(r.PostFormValue("message-headers")) {
			// Never the address or the words in the log.
			log.Warn("email webhook: sender not authenticated (SPF and DKIM not passed); refused", "message_id_bytes", len(in.ProviderID))
			http.Error(w, inboundRejected, statusNotForUs)
			return
		}
		if err := sink.Receive(r.Context(), in); err != nil {
			log.Error("email webhook: message not committed", "err", err)
			http.Error(w, "not committed", http.StatusInternalServerError)
			return
		}
		log.Info("email webhook: message received", "media", len(in.Media), "text_bytes", len(in.Text))
		w.WriteHeader(http.StatusOK)
	})
}

// signed checks the provider's signature and that it is recent, so a
// captured request cannot be replayed later (a replay within the window
// is a duplicate Message-Id, which the sink ignores).
func (cfg Inbound) signed(r *http.Request) bool {
	ts, token, sig := r.PostFormValue("timestamp"), r.PostFormValue("token"), r.PostFormValue("signature")
	if cfg.SigningKey == "" || ts == "" || token == "" || sig == "" {
		return false
	}
	m := hmac.New(sha256.New, []byte(cfg.SigningKey))
	m.Write([]byte(ts + token))
	want := hex.EncodeToString(m.Sum(nil))
	if !hmac.Equal([]byte(want), []byte(strings.ToLower(sig))) {
		return false
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return false
	}
	age := cfg.Now().Sub(time.Unix(sec, 0))
	return age < cfg.MaxAge && age > -cfg.MaxAge
}

// firstUse reports whether token is seen for the first time, or again for
// the same message (the provider retrying a delivery we did not commit:
// the sink ignores a duplicate Message-Id). A token seen before with
// another message is a replay. When the ledger cannot answer the request
// is refused (the provider retries later) rather than let a replay in.
func (cfg Inbound) firstUse(ctx context.Context, token, messageID string, log *slog.Logger) bool {
	if cfg.Tokens == nil {
		return true
	}
	sum := sha256.Sum256([]byte(token))
	key := "email:token:" + hex.EncodeToString(sum[:])
	mid := sha256.Sum256([]byte(messageID))
	ttl := 2 * cfg.MaxAge // the window a timestamp is accepted in, either side of now
	n, err := cfg.Tokens.Incr(ctx, key, ttl)
	if err != nil {
		log.Error("email webhook: token ledger unavailable", "err", err)
		return false
	}
	if n == 1 {
		if err := cfg.Tokens.Set(ctx, key+":message", mid[:], ttl); err != nil {
			log.Error("email webhook: token ledger unavailable", "err", err)
		}
		return true
	}
	first, err := cfg.Tokens.Get(ctx, key+":message")
	return err == nil && hmac.Equal(first, mid[:])
}

// Sign is the signature a provider puts on a request with timestamp and
// token: for tests and for a relay that forwards mail in this format.
func Sign(key, timestamp, token string) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(timestamp + token))
	return hex.EncodeToString(m.Sum(nil))
}

// authenticated reports whether the provider says SPF or DKIM passed for
// the message (its own X-Mailgun-Spf / X-Mailgun-Dkim-Check-Result, or the
// standard Authentication-Results header it added).
func authenticated(headersJSON string) bool {
	var hs [][2]string
	if err := json.Unmarshal([]byte(headersJSON), &hs); err != nil {
		return false
	}
	for _, h := range hs {
		v := strings.ToLower(strings.TrimSpace(h[1]))
		switch strings.ToLower(h[0]) {
		case "x-mailgun-spf", "x-mailgun-dkim-check-result":
			if v == "pass" {
				return true
			}
		case "authentication-results":
			for _, part := range strings.Split(v, ";") {
				f := strings.Fields(part)
				if len(f) > 0 && (f[0] == "dkim=pass" || f[0] == "spf=pass" || f[0] == "dmarc=pass") {
					return true
				}
			}
		}
	}
	return false
}

// parseInbound normalises the form: the sender's address (lower case: the
// conversation's key and the identification), the text without quoted
// reply and signature, and the files.
func parseInbound(r *http.Request) (bot.Inbound, error) {
	from, err := netmail.ParseAddress(r.PostFormValue("from"))
	if err != nil {
		if from, err = netmail.ParseAddress(r.PostFormValue("sender")); err != nil {
			return bot.Inbound{}, errors.New("no sender address")
		}
	}
	id := strings.Trim(strings.TrimSpace(firstOf(r, "Message-Id", "message-id", "Message-ID")), "<>")
	if id == "" {
		return bot.Inbound{}, errors.New("no Message-Id")
	}
	addr := strings.ToLower(from.Address)
	text := r.PostFormValue("stripped-text")
	if strings.TrimSpace(text) == "" {
		text = r.PostFormValue("body-plain")
	}
	in := bot.Inbound{Channel: Channel, ProviderID: id, From: addr, Phone: addr,
		Text: bot.CapRunes(StripReply(strings.ToValidUTF8(text, "\uFFFD")), maxTextRunes)}
	in.Media = attachments(r)
	return in, nil
}

func firstOf(r *http.Request, names ...string) string {
	for _, n := range names {
		if v := r.PostFormValue(n); v != "" {
			return v
		}
	}
	return ""
}

// attachments reads up to maxAttachments files. A file over the evidence
// limit comes with its size and no bytes, so the dialog can say so.
func attachments(r *http.Request) []bot.Media {
	if r.MultipartForm == nil {
		return nil
	}
	var out []bot.Media
	for i := 1; i <= maxAttachments; i++ {
		fhs := r.MultipartForm.File["attachment-"+strconv.Itoa(i)]
		if len(fhs) == 0 {
			break
		}
		out = append(out, readAttachment(fhs[0]))
	}
	return out
}

func readAttachment(fh *multipart.FileHeader) bot.Media {
	m := bot.Media{ContentType: fh.Header.Get("Content-Type"), Size: fh.Size}
	if fh.Size > casestore.MaxMediaBytes {
		return m
	}
	f, err := fh.Open()
	if err != nil {
		return m
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, casestore.MaxMediaBytes+1))
	if err == nil && len(data) <= casestore.MaxMediaBytes {
		m.Data = data
	}
	return m
}
