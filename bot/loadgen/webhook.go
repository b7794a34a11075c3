package loadgen

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// webhook is one provider call, built once so that every retry and every
// deliberate duplicate sends the very same request (same MessageSid or
// update_id), as the providers do.
type webhook struct {
	channel    string
	providerID string // as the bot's inbox files it: MessageSid, or "upd:N"
	from       string // the debtor's address
	path       string
	body       []byte
	header     http.Header
}

// twilioWebhook is the signed form Twilio posts for an incoming message.
func twilioWebhook(acc Accounts, publicURL string, d Debtor, text string) webhook {
	sid := newSID("SM")
	from, to := d.Phone, acc.SMSFrom
	if d.Channel == "whatsapp" {
		from, to = "whatsapp:"+d.Phone, "whatsapp:"+acc.WhatsAppFrom
	}
	form := url.Values{
		"MessageSid": {sid}, "SmsMessageSid": {sid}, "SmsSid": {sid},
		"AccountSid": {acc.TwilioAccountSID}, "ApiVersion": {"2010-04-01"},
		"From": {from}, "To": {to}, "Body": {text}, "NumMedia": {"0"}, "NumSegments": {"1"},
	}
	const path = "/webhooks/twilio"
	h := http.Header{}
	h.Set("Content-Type", "application/x-www-form-urlencoded")
	h.Set("X-Twilio-Signature", Sign(acc.TwilioAuthToken, publicURL+path, form))
	h.Set("User-Agent", "TwilioProxy/1.1")
	return webhook{channel: d.Channel, providerID: sid, from: d.Phone, path: path, body: []byte(form.Encode()), header: h}
}

// telegramWebhook is an update as Telegram posts it: text, or with
// sharePhone the contact the "share my phone number" button sends.
func telegramWebhook(acc Accounts, d Debtor, updateID int64, text string, sharePhone bool) webhook {
	msg := map[string]any{
		"message_id": updateID, "date": time.Now().Unix(),
		"from": map[string]any{"id": d.ChatID, "is_bot": false, "first_name": "Debiteur", "language_code": "nl"},
		"chat": map[string]any{"id": d.ChatID, "type": "private", "first_name": "Debiteur"},
	}
	if sharePhone {
		msg["contact"] = map[string]any{"phone_number": strings.TrimPrefix(d.Phone, "+"), "first_name": "Debiteur", "user_id": d.ChatID}
	} else {
		msg["text"] = text
	}
	body, _ := json.Marshal(map[string]any{"update_id": updateID, "message": msg})
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("X-Telegram-Bot-Api-Secret-Token", acc.TelegramSecret)
	return webhook{channel: "telegram", providerID: "upd:" + strconv.FormatInt(updateID, 10), from: d.Address(),
		path: "/webhooks/telegram", body: body, header: h}
}

// Sign computes X-Twilio-Signature as Twilio does: HMAC-SHA1 keyed with the
// auth token over the URL and each parameter's name and value, sorted by
// name (and value), base64-encoded. loadgen has its own copy so that the
// binary does not link twiliofake, a test package.
func Sign(authToken, fullURL string, params url.Values) string {
	names := make([]string, 0, len(params))
	for k := range params {
		names = append(names, k)
	}
	sort.Strings(names)
	var data strings.Builder
	data.WriteString(fullURL)
	for _, k := range names {
		vs := append([]string(nil), params[k]...)
		sort.Strings(vs)
		for _, v := range vs {
			data.WriteString(k + v)
		}
	}
	mac := hmac.New(sha1.New, []byte(authToken))
	mac.Write([]byte(data.String()))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// poster delivers webhooks like a provider: it retries on 5xx, timeouts
// and broken connections with doubling backoff, and gives up after
// maxAttempts.
type poster struct {
	client      *http.Client
	target      string
	maxAttempts int
	backoff     time.Duration
	stats       *Stats
}

// deliver sends w until the server accepts it (2xx) or the attempts run
// out; it reports whether it was accepted. Every attempt's latency and
// every failed attempt's kind go to the stats.
func (p *poster) deliver(ctx context.Context, w webhook) bool {
	wait := p.backoff
	for attempt := 1; ; attempt++ {
		status, lat, err := p.once(ctx, w)
		kind := ""
		switch {
		case err != nil && ctx.Err() != nil:
			return false
		case err != nil:
			kind = errorKind(err)
		case status >= 200 && status < 300:
			p.stats.webhookDone(lat)
			return true
		case status >= 500:
			kind = "http " + strconv.Itoa(status)
		default:
			// Twilio and Telegram do not retry a 4xx: the message is refused.
			p.stats.fail("http " + strconv.Itoa(status) + " (refused, not retried)")
			return false
		}
		p.stats.fail(kind)
		if attempt >= p.maxAttempts {
			p.stats.fail("gave up after " + strconv.Itoa(attempt) + " attempts")
			return false
		}
		p.stats.retried()
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return false
		}
		wait *= 2
	}
}

func (p *poster) once(ctx context.Context, w webhook) (int, time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.target+w.path, bytes.NewReader(w.body))
	if err != nil {
		return 0, 0, err
	}
	req.Header = w.header.Clone()
	start := time.Now()
	resp, err := p.client.Do(req)
	if err != nil {
		return 0, time.Since(start), err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, time.Since(start), nil
}

// errorKind names a transport failure for the report.
func errorKind(err error) string {
	var ne net.Error
	switch {
	case errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case strings.Contains(err.Error(), "connection refused"):
		return "connection refused"
	case strings.Contains(err.Error(), "connection reset"), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "connection reset"
	}
	return fmt.Sprintf("transport: %T", errors.Unwrap(err))
}
