package loadgen

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"mime"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Accounts are the provider credentials the server under test and the
// fake providers share. They are test values: the fakes accept nothing else.
type Accounts struct {
	TwilioAccountSID, TwilioAuthToken string
	SMSFrom, WhatsAppFrom             string // E.164, without "whatsapp:"
	TelegramToken, TelegramSecret     string
}

// DefaultAccounts are the accounts loadgen uses unless told otherwise.
var DefaultAccounts = Accounts{
	TwilioAccountSID: "AC10ad6e0000000000000000000000000a",
	TwilioAuthToken:  "loadgenTwilioAuthToken0123456789",
	SMSFrom:          "+31970102030",
	WhatsAppFrom:     "+31970102031",
	TelegramToken:    "7000000001:AALoadgenTelegramToken0123456789ab",
	TelegramSecret:   "loadgen-telegram-webhook-secret",
}

// Delivery is one message the server handed to a fake provider.
type Delivery struct {
	Channel string // sms, whatsapp, telegram
	To      string // the address as the outbox knows it (E.164 or chat id)
	ID      string // Twilio SID, or Telegram message_id
	Text    string
	At      time.Time
}

// mailbox is everything delivered to one address, with a signal for
// waiters.
type mailbox struct {
	got     []Delivery
	changed chan struct{} // closed and replaced on every delivery
}

// Provider is a local Twilio Messages API and Telegram Bot API in one
// HTTP server, for the server under test to send its replies to. It
// records deliveries per recipient; it never fails on purpose.
type Provider struct {
	acc   Accounts
	Now   func() time.Time
	mu    sync.Mutex
	boxes map[string]*mailbox // channel + ":" + address
	msgID int64               // Telegram message ids, unique across chats here
	hook  struct{ url, secret string }
	srv   *http.Server
	URL   string
}

// NewProvider returns a fake for acc; Start or Handler serves it.
func NewProvider(acc Accounts) *Provider {
	// Message ids start from the clock: the server keeps every id it was
	// given as unique, and a benchmark runs several fakes, one after
	// another, against one database.
	return &Provider{acc: acc, Now: time.Now, boxes: map[string]*mailbox{}, msgID: time.Now().UnixMicro()}
}

// Start serves the fake on addr ("127.0.0.1:0" picks a port) and sets URL.
func (p *Provider) Start(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	p.URL = "http://" + ln.Addr().String()
	p.srv = &http.Server{Handler: p.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = p.srv.Serve(ln) }()
	return nil
}

// Close stops the server started by Start.
func (p *Provider) Close() error {
	if p.srv == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return p.srv.Shutdown(ctx)
}

// Handler is the fake's HTTP surface.
func (p *Provider) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /2010-04-01/Accounts/{sid}/Messages.json", p.twilioCreate)
	mux.HandleFunc("/", p.telegram)
	return mux
}

// Webhook is what the bot registered with setWebhook.
func (p *Provider) Webhook() (url, secret string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.hook.url, p.hook.secret
}

// Deliveries returns what reached channel/address so far, oldest first.
func (p *Provider) Deliveries(channel, address string) []Delivery {
	p.mu.Lock()
	defer p.mu.Unlock()
	if b := p.boxes[channel+":"+address]; b != nil {
		return append([]Delivery(nil), b.got...)
	}
	return nil
}

// Count is how many deliveries channel/address has had.
func (p *Provider) Count(channel, address string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if b := p.boxes[channel+":"+address]; b != nil {
		return len(b.got)
	}
	return 0
}

// Total is how many deliveries the fake accepted in all.
func (p *Provider) Total() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, b := range p.boxes {
		n += len(b.got)
	}
	return n
}

// WaitBeyond waits until channel/address has more than n deliveries and
// returns delivery n (0-based); an error when ctx ends first.
func (p *Provider) WaitBeyond(ctx context.Context, channel, address string, n int) (Delivery, error) {
	for {
		p.mu.Lock()
		b := p.boxLocked(channel + ":" + address)
		if len(b.got) > n {
			d := b.got[n]
			p.mu.Unlock()
			return d, nil
		}
		changed := b.changed
		p.mu.Unlock()
		select {
		case <-changed:
		case <-ctx.Done():
			return Delivery{}, ctx.Err()
		}
	}
}

func (p *Provider) boxLocked(key string) *mailbox {
	b := p.boxes[key]
	if b == nil {
		b = &mailbox{changed: make(chan struct{})}
		p.boxes[key] = b
	}
	return b
}

func (p *Provider) record(d Delivery) {
	p.mu.Lock()
	defer p.mu.Unlock()
	b := p.boxLocked(d.Channel + ":" + d.To)
	b.got = append(b.got, d)
	close(b.changed)
	b.changed = make(chan struct{})
}

// twilioCreate answers POST Messages.json as Twilio does, for the fields
// twilio-go reads.
func (p *Provider) twilioCreate(w http.ResponseWriter, r *http.Request) {
	user, pass, ok := r.BasicAuth()
	if !ok || user != p.acc.TwilioAccountSID || pass != p.acc.TwilioAuthToken || r.PathValue("sid") != p.acc.TwilioAccountSID {
		twilioError(w, http.StatusUnauthorized, 20003, "Authenticate")
		return
	}
	if err := r.ParseForm(); err != nil {
		twilioError(w, http.StatusBadRequest, 21600, "Malformed request")
		return
	}
	to, from, body := r.PostForm.Get("To"), r.PostForm.Get("From"), r.PostForm.Get("Body")
	if to == "" || from == "" || body == "" {
		twilioError(w, http.StatusBadRequest, 21602, "To, From and Body are required.")
		return
	}
	channel, addr := "sms", to
	if rest, ok := strings.CutPrefix(to, "whatsapp:"); ok {
		channel, addr = "whatsapp", rest
	}
	sid := newSID("SM")
	now := p.Now().UTC()
	p.record(Delivery{Channel: channel, To: addr, ID: sid, Text: body, At: now})
	date := now.Format(time.RFC1123Z)
	writeJSON(w, http.StatusCreated, map[string]any{
		"account_sid": p.acc.TwilioAccountSID, "api_version": "2010-04-01", "body": body,
		"date_created": date, "date_updated": date, "direction": "outbound-api",
		"from": from, "to": to, "num_media": "0", "num_segments": "1", "sid": sid, "status": "queued",
		"uri": "/2010-04-01/Accounts/" + p.acc.TwilioAccountSID + "/Messages/" + sid + ".json",
	})
}

func twilioError(w http.ResponseWriter, status, code int, msg string) {
	writeJSON(w, status, map[string]any{"code": code, "message": msg, "status": status})
}

// telegram answers the Bot API methods the bot calls: getMe, setWebhook,
// deleteWebhook, getWebhookInfo and sendMessage.
func (p *Provider) telegram(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/bot")
	token, method, _ := strings.Cut(rest, "/")
	if !ok || token != p.acc.TelegramToken {
		tgError(w, http.StatusUnauthorized, "Unauthorized")
		return
	}
	params, err := readParams(r)
	if err != nil {
		tgError(w, http.StatusBadRequest, "Bad Request: "+err.Error())
		return
	}
	switch method {
	case "getMe":
		tgOK(w, map[string]any{"id": 7000000001, "is_bot": true, "first_name": "Incassobot load", "username": "incassobot_load_bot"})
	case "setWebhook":
		p.mu.Lock()
		p.hook.url, p.hook.secret = params["url"], params["secret_token"]
		p.mu.Unlock()
		tgOK(w, true)
	case "deleteWebhook":
		p.mu.Lock()
		p.hook.url, p.hook.secret = "", ""
		p.mu.Unlock()
		tgOK(w, true)
	case "getWebhookInfo":
		url, _ := p.Webhook()
		tgOK(w, map[string]any{"url": url, "pending_update_count": 0})
	case "sendMessage":
		p.tgSend(w, params)
	default:
		tgError(w, http.StatusNotFound, "Not Found")
	}
}

func (p *Provider) tgSend(w http.ResponseWriter, params map[string]string) {
	chatID, err := strconv.ParseInt(params["chat_id"], 10, 64)
	if err != nil || chatID == 0 {
		tgError(w, http.StatusBadRequest, "Bad Request: chat not found")
		return
	}
	text := params["text"]
	if text == "" {
		tgError(w, http.StatusBadRequest, "Bad Request: message text is empty")
		return
	}
	p.mu.Lock()
	p.msgID++
	id := p.msgID
	p.mu.Unlock()
	now := p.Now()
	p.record(Delivery{Channel: "telegram", To: strconv.FormatInt(chatID, 10), ID: strconv.FormatInt(id, 10), Text: text, At: now})
	tgOK(w, map[string]any{
		"message_id": id, "date": now.Unix(), "text": text,
		"chat": map[string]any{"id": chatID, "type": "private"},
		"from": map[string]any{"id": 7000000001, "is_bot": true, "first_name": "Incassobot load"},
	})
}

// readParams reads a Bot API call's parameters, form or JSON.
func readParams(r *http.Request) (map[string]string, error) {
	out := map[string]string{}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/json":
		var fields map[string]json.RawMessage
		if err := json.NewDecoder(r.Body).Decode(&fields); err != nil {
			return nil, errors.New("can't parse JSON")
		}
		for k, v := range fields {
			var s string
			if json.Unmarshal(v, &s) == nil {
				out[k] = s
			} else {
				out[k] = string(v)
			}
		}
		return out, nil
	case "multipart/form-data":
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			return nil, err
		}
	default:
		if err := r.ParseForm(); err != nil {
			return nil, err
		}
	}
	for k := range r.Form {
		out[k] = r.Form.Get(k)
	}
	return out, nil
}

func tgOK(w http.ResponseWriter, result any) {
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "result": result})
}

func tgError(w http.ResponseWriter, status int, description string) {
	writeJSON(w, status, map[string]any{"ok": false, "error_code": status, "description": description})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// newSID is a Twilio-shaped id: a prefix and 32 hex digits.
func newSID(prefix string) string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}
