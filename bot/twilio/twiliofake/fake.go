package twiliofake

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"
)

// Message is one message the fake accepted, as the client POSTed it.
type Message struct {
	SID              string
	To               string
	From             string
	Body             string
	ContentSid       string
	ContentVariables string
	StatusCallback   string
	MediaURL         []string
	At               time.Time
}

// Fake is a Twilio account on a local httptest server. Point the client
// under test at URL (twilio.Config.APIURL). It checks HTTP basic auth with
// the account SID and auth token on every request, as Twilio does.
type Fake struct {
	URL        string
	AccountSID string
	AuthToken  string

	srv     *httptest.Server
	mu      sync.Mutex
	changed chan struct{} // closed and replaced whenever a message arrives
	msgs    []Message
	fails   []failure
	media   map[string]mediaFile
	fetches map[string]int
	delay   time.Duration // see Slow
}

type failure struct {
	status, code int
	retryAfter   time.Duration
}

type mediaFile struct {
	contentType string
	data        []byte
}

// New starts a fake Twilio for one account; it stops when the test ends.
func New(t testing.TB, accountSID, authToken string) *Fake {
	t.Helper()
	f := &Fake{
		AccountSID: accountSID,
		AuthToken:  authToken,
		changed:    make(chan struct{}),
		media:      map[string]mediaFile{},
		fetches:    map[string]int{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /2010-04-01/Accounts/{sid}/Messages.json", f.createMessage)
	mux.HandleFunc("GET /2010-04-01/Accounts/{sid}/Messages.json", f.listMessages)
	mux.HandleFunc("GET /media/{name}", f.serveMedia)
	// Twilio's own media URLs, for clients that rewrite api.twilio.com here.
	mux.HandleFunc("GET /2010-04-01/Accounts/{sid}/Messages/{msg}/Media/{name}", f.serveMedia)
	f.srv = httptest.NewServer(mux)
	f.URL = f.srv.URL
	t.Cleanup(f.srv.Close)
	return f
}

// Messages returns the messages accepted so far, oldest first.
func (f *Fake) Messages() []Message {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Message(nil), f.msgs...)
}

// WaitForMessages waits until at least n messages were accepted and
// returns them; the test fails when timeout passes first.
func (f *Fake) WaitForMessages(t testing.TB, n int, timeout time.Duration) []Message {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		f.mu.Lock()
		msgs, changed := append([]Message(nil), f.msgs...), f.changed
		f.mu.Unlock()
		if len(msgs) >= n {
			return msgs
		}
		select {
		case <-changed:
		case <-deadline.C:
			t.Fatalf("twiliofake: %d messages after %s, want %d", len(msgs), timeout, n)
			return msgs
		}
	}
}

// Slow makes every later message request take d before Twilio answers.
// The message is accepted all the same when the client gave up waiting
// (or died) meanwhile, as with the real Twilio, whose acceptance does not
// depend on the client reading the answer.
func (f *Fake) Slow(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.delay = d
}

// FailNext makes the next n message requests fail with HTTP status and
// Twilio error code (429/20429 is rate limiting, 400/21211 an invalid
// number), after which requests succeed again.
func (f *Fake) FailNext(status, code, n int) { f.FailNextRetryAfter(status, code, n, 0) }

// FailNextRetryAfter is FailNext with a Retry-After header (whole seconds).
func (f *Fake) FailNextRetryAfter(status, code, n int, retryAfter time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for range n {
		f.fails = append(f.fails, failure{status: status, code: code, retryAfter: retryAfter})
	}
}

// AddMedia serves data at /media/{name} (basic auth required) and returns
// its URL, to put in a webhook's MediaUrlN. The same file is served at
// Twilio's own path, /2010-04-01/Accounts/{sid}/Messages/{any}/Media/{name}.
func (f *Fake) AddMedia(name, contentType string, data []byte) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.media[name] = mediaFile{contentType: contentType, data: append([]byte(nil), data...)}
	return f.URL + "/media/" + name
}

// MediaFetches reports how often the media file name was served.
func (f *Fake) MediaFetches(name string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.fetches[name]
}

func (f *Fake) authorised(r *http.Request) bool {
	user, pass, ok := r.BasicAuth()
	return ok && user == f.AccountSID && pass == f.AuthToken
}

func (f *Fake) serveMedia(w http.ResponseWriter, r *http.Request) {
	if !f.authorised(r) {
		writeError(w, http.StatusUnauthorized, 20003, "Authenticate", 0)
		return
	}
	name := r.PathValue("name")
	f.mu.Lock()
	m, ok := f.media[name]
	if ok {
		f.fetches[name]++
	}
	f.mu.Unlock()
	if !ok {
		writeError(w, http.StatusNotFound, 20404, "The requested resource was not found", 0)
		return
	}
	w.Header().Set("Content-Type", m.contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(m.data)))
	_, _ = w.Write(m.data)
}

var addressRE = regexp.MustCompile(`^(whatsapp:)?\+[1-9][0-9]{6,14}$`)

func (f *Fake) createMessage(w http.ResponseWriter, r *http.Request) {
	if !f.authorised(r) {
		writeError(w, http.StatusUnauthorized, 20003, "Authenticate", 0)
		return
	}
	if r.PathValue("sid") != f.AccountSID {
		writeError(w, http.StatusNotFound, 20404, "The requested resource was not found", 0)
		return
	}
	if err := r.ParseForm(); err != nil {
		writeError(w, http.StatusBadRequest, 21600, "Malformed request", 0)
		return
	}
	if fl, ok := f.nextFailure(); ok {
		writeError(w, fl.status, fl.code, "Scripted failure", fl.retryAfter)
		return
	}
	f.mu.Lock()
	delay := f.delay
	f.mu.Unlock()
	time.Sleep(delay)
	m := Message{
		SID:              newSID(),
		To:               r.PostForm.Get("To"),
		From:             r.PostForm.Get("From"),
		Body:             r.PostForm.Get("Body"),
		ContentSid:       r.PostForm.Get("ContentSid"),
		ContentVariables: r.PostForm.Get("ContentVariables"),
		StatusCallback:   r.PostForm.Get("StatusCallback"),
		MediaURL:         r.PostForm["MediaUrl"],
		At:               time.Now().UTC(),
	}
	if status, code, msg := validate(m); status != 0 {
		writeError(w, status, code, msg, 0)
		return
	}
	f.mu.Lock()
	f.msgs = append(f.msgs, m)
	close(f.changed)
	f.changed = make(chan struct{})
	f.mu.Unlock()
	writeJSON(w, http.StatusCreated, f.resource(m))
}

// listMessages is Twilio's Messages list (GET …/Messages.json), newest
// first, filtered as Twilio filters it by To, From and DateSent> (on or
// after; a date, or a date and time), in pages of PageSize (default 50)
// linked by next_page_uri. Listed messages are sent, with date_sent the
// moment the fake accepted them: the fake delivers at once.
func (f *Fake) listMessages(w http.ResponseWriter, r *http.Request) {
	if !f.authorised(r) || r.PathValue("sid") != f.AccountSID {
		writeError(w, http.StatusUnauthorized, 20003, "Authenticate", 0)
		return
	}
	q := r.URL.Query()
	var after time.Time
	if v := q.Get("DateSent>"); v != "" {
		var err error
		if after, err = time.Parse(time.RFC3339, v); err != nil {
			if after, err = time.Parse(time.DateOnly, v); err != nil {
				writeError(w, http.StatusBadRequest, 20001, "Invalid DateSent> value", 0)
				return
			}
		}
	}
	size, _ := strconv.Atoi(q.Get("PageSize"))
	if size <= 0 || size > 1000 {
		size = 50
	}
	page, _ := strconv.Atoi(q.Get("Page"))
	var match []map[string]any
	msgs := f.Messages()
	for i := len(msgs) - 1; i >= 0; i-- {
		m := msgs[i]
		if (q.Get("To") != "" && m.To != q.Get("To")) || (q.Get("From") != "" && m.From != q.Get("From")) || m.At.Before(after) {
			continue
		}
		res := f.resource(m)
		res["status"], res["date_sent"] = "sent", m.At.Format(time.RFC1123Z)
		match = append(match, res)
	}
	from := min(page*size, len(match))
	to := min(from+size, len(match))
	base := "/2010-04-01/Accounts/" + f.AccountSID + "/Messages.json"
	var next any
	if to < len(match) {
		nq := url.Values{}
		for k, v := range q {
			nq[k] = v
		}
		nq.Set("Page", strconv.Itoa(page+1))
		nq.Set("PageSize", strconv.Itoa(size))
		next = base + "?" + nq.Encode() // relative, as Twilio gives it
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"messages": append([]map[string]any{}, match[from:to]...), "page": page, "page_size": size,
		"start": from, "end": max(from, to-1), "uri": base, "first_page_uri": base, "next_page_uri": next, "previous_page_uri": nil,
	})
}

func (f *Fake) nextFailure() (failure, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.fails) == 0 {
		return failure{}, false
	}
	fl := f.fails[0]
	f.fails = f.fails[1:]
	return fl, true
}

// validate refuses what Twilio refuses, with Twilio's error codes.
func validate(m Message) (status, code int, msg string) {
	switch {
	case m.To == "":
		return 400, 21604, "A 'To' phone number is required."
	case !addressRE.MatchString(m.To):
		return 400, 21211, fmt.Sprintf("The 'To' number %s is not a valid phone number.", m.To)
	case m.From == "":
		return 400, 21603, "A 'From' phone number is required."
	case !addressRE.MatchString(m.From):
		return 400, 21212, fmt.Sprintf("The 'From' number %s is not a valid phone number.", m.From)
	case strings.HasPrefix(m.To, "whatsapp:") != strings.HasPrefix(m.From, "whatsapp:"):
		return 400, 63007, "Twilio could not find a Channel with the specified From address"
	case m.Body == "" && m.ContentSid == "" && len(m.MediaURL) == 0:
		return 400, 21602, "Message body is required."
	case utf8.RuneCountInString(m.Body) > 1600:
		return 400, 21617, "The concatenated message body exceeds the 1600 character limit."
	case m.ContentVariables != "" && !json.Valid([]byte(m.ContentVariables)):
		return 400, 21656, "The ContentVariables Parameter is invalid."
	}
	return 0, 0, ""
}

// resource is the JSON Twilio answers a created message with.
func (f *Fake) resource(m Message) map[string]any {
	date := m.At.Format(time.RFC1123Z)
	return map[string]any{
		"account_sid": f.AccountSID, "api_version": "2010-04-01", "body": m.Body,
		"date_created": date, "date_updated": date, "date_sent": nil,
		"direction": "outbound-api", "error_code": nil, "error_message": nil,
		"from": m.From, "to": m.To, "messaging_service_sid": nil,
		"num_media": strconv.Itoa(len(m.MediaURL)), "num_segments": "1",
		"price": nil, "price_unit": "USD", "sid": m.SID, "status": "queued",
		"subresource_uris": map[string]string{"media": "/2010-04-01/Accounts/" + f.AccountSID + "/Messages/" + m.SID + "/Media.json"},
		"uri":              "/2010-04-01/Accounts/" + f.AccountSID + "/Messages/" + m.SID + ".json",
	}
}

func writeError(w http.ResponseWriter, status, code int, msg string, retryAfter time.Duration) {
	if retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(retryAfter.Seconds())))
	}
	writeJSON(w, status, map[string]any{
		"code": code, "message": msg, "status": status,
		"more_info": fmt.Sprintf("https://www.twilio.com/docs/errors/%d", code),
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// newSID returns a message SID as Twilio shapes them: "SM" and 32 hex digits.
func newSID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return "SM" + hex.EncodeToString(b)
}

// ReportStatus sends the status callback Twilio would send for message
// sid (signed, to the StatusCallback URL it was created with) and returns
// the HTTP status the bot answered. errorCode is "" unless it failed.
func (f *Fake) ReportStatus(t testing.TB, sid, status, errorCode string) int {
	t.Helper()
	var m *Message
	for _, got := range f.Messages() {
		if got.SID == sid {
			m = &got
			break
		}
	}
	if m == nil || m.StatusCallback == "" {
		t.Fatalf("twiliofake: no message %s with a StatusCallback", sid)
		return 0
	}
	form := url.Values{
		"AccountSid": {f.AccountSID}, "ApiVersion": {"2010-04-01"},
		"MessageSid": {sid}, "SmsSid": {sid},
		"MessageStatus": {status}, "SmsStatus": {status},
		"From": {m.From}, "To": {m.To},
	}
	if errorCode != "" {
		form.Set("ErrorCode", errorCode)
	}
	resp, err := http.DefaultClient.Do(SignedForm(t, f.AuthToken, m.StatusCallback, form))
	if err != nil {
		t.Fatalf("twiliofake: status callback to %s: %v", m.StatusCallback, err)
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}
