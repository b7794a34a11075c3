package telegramfake

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// BotID and BotUsername are what getMe answers.
const (
	BotID       = 7000000001
	BotUsername = "incassobot_test_bot"
)

// Server is a fake Bot API for one bot token, served over HTTP at URL:
// methods at URL/bot<token>/<method>, files at URL/file/bot<token>/<path>,
// as on api.telegram.org. Any other token gets 401 Unauthorized.
type Server struct {
	URL   string
	Token string
	// MaxPollWait caps how long getUpdates waits for an update, whatever
	// timeout the client asks, so tests stay fast. Default 1 s.
	MaxPollWait time.Duration
	// OmitFileSize leaves file_size out of getFile answers (it is optional
	// in the Bot API), so a client must bound the download itself.
	OmitFileSize bool
	// SendDelay is how long sendMessage takes before Telegram answers. The
	// message is delivered all the same when the client stopped waiting
	// (or died) meanwhile, as with the real Bot API. Set before use.
	SendDelay time.Duration

	srv *httptest.Server

	mu            sync.Mutex
	changed       chan struct{} // closed and replaced whenever state changes
	queue         []queued      // updates not yet confirmed by an offset
	lastUpdateID  int
	sent          []SentMessage
	lastMessageID int
	files         map[string]storedFile
	blocked       map[int64]bool
	failures      map[string][]failure
	calls         map[string]int
	webhookURL    string
	webhookSecret string
}

type queued struct {
	id  int
	raw json.RawMessage
}

type storedFile struct {
	path, contentType string
	data              []byte
}

type failure struct{ status, retryAfter int }

// SentMessage is one sendMessage call the fake accepted.
type SentMessage struct {
	MessageID   int
	ChatID      int64
	Text        string
	ParseMode   string
	ReplyMarkup json.RawMessage // as the client sent it; nil when none
	Markup      *Markup         // ReplyMarkup decoded; nil when none
}

// Markup is a reply keyboard, or its removal, as sent.
type Markup struct {
	Keyboard        [][]Button `json:"keyboard"`
	ResizeKeyboard  bool       `json:"resize_keyboard"`
	OneTimeKeyboard bool       `json:"one_time_keyboard"`
	RemoveKeyboard  bool       `json:"remove_keyboard"`
}

// Button is one reply keyboard button.
type Button struct {
	Text           string `json:"text"`
	RequestContact bool   `json:"request_contact"`
}

// New starts a fake Bot API for token; it stops when the test ends.
func New(t testing.TB, token string) *Server {
	t.Helper()
	s := &Server{
		Token: token, MaxPollWait: time.Second,
		changed: make(chan struct{}), files: map[string]storedFile{}, blocked: map[int64]bool{},
		failures: map[string][]failure{}, calls: map[string]int{},
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	s.URL = s.srv.URL
	t.Cleanup(s.srv.Close)
	return s
}

// serveHTTP routes /bot<token>/<method> and /file/bot<token>/<path>.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	if rest, ok := strings.CutPrefix(path, "/file/bot"); ok {
		token, filePath, _ := strings.Cut(rest, "/")
		if token != s.Token {
			apiError(w, http.StatusUnauthorized, "Unauthorized", 0)
			return
		}
		s.serveFile(w, filePath)
		return
	}
	rest, ok := strings.CutPrefix(path, "/bot")
	token, method, _ := strings.Cut(rest, "/")
	if !ok || token != s.Token {
		apiError(w, http.StatusUnauthorized, "Unauthorized", 0)
		return
	}
	if f, failed := s.takeFailure(method); failed {
		apiError(w, f.status, describeStatus(f.status, f.retryAfter), f.retryAfter)
		return
	}
	p, err := readParams(r)
	if err != nil {
		apiError(w, http.StatusBadRequest, "Bad Request: "+err.Error(), 0)
		return
	}
	handler, known := s.methods()[method]
	if !known {
		apiError(w, http.StatusNotFound, "Not Found", 0)
		return
	}
	handler(w, r, p)
}

// takeFailure counts a call to method and pops a scripted failure for it.
func (s *Server) takeFailure(method string) (failure, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[method]++
	q := s.failures[method]
	if len(q) == 0 {
		return failure{}, false
	}
	s.failures[method] = q[1:]
	return q[0], true
}

// FailNext makes the next n calls of method (a Bot API method such as
// "sendMessage", or "file" for file downloads) fail with HTTP status and
// Telegram's error body; retryAfter > 0 adds parameters.retry_after (s).
func (s *Server) FailNext(method string, status, retryAfter, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.failures[method] = append(s.failures[method], failure{status, retryAfter})
	}
}

// Block makes every later sendMessage to chatID fail as Telegram does when
// the user has blocked the bot (403).
func (s *Server) Block(chatID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.blocked[chatID] = true
}

// AddFile makes fileID known to getFile, served at path.
func (s *Server) AddFile(fileID, path, contentType string, data []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files[fileID] = storedFile{path: strings.TrimLeft(path, "/"), contentType: contentType, data: data}
}

// PushUpdate queues an update for getUpdates. An update without a
// positive update_id gets the next one; the id is returned.
func (s *Server) PushUpdate(update []byte) int {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(update, &fields); err != nil {
		panic("telegramfake.PushUpdate: not a JSON object: " + err.Error())
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var id int
	if err := json.Unmarshal(fields["update_id"], &id); err != nil || id <= 0 {
		id = s.lastUpdateID + 1
		fields["update_id"] = json.RawMessage(itoa(id))
		update, _ = json.Marshal(fields)
	}
	s.lastUpdateID = max(s.lastUpdateID, id)
	s.queue = append(s.queue, queued{id: id, raw: update})
	s.broadcastLocked()
	return id
}

// Pending is the number of updates not yet confirmed by a getUpdates offset.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue)
}

// Sent is a snapshot of the messages sent so far, in order.
func (s *Server) Sent() []SentMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]SentMessage(nil), s.sent...)
}

// Calls is how many times method was called (failed calls included).
func (s *Server) Calls(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[method]
}

// Webhook is the URL and secret set with setWebhook ("" when none).
func (s *Server) Webhook() (url, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.webhookURL, s.webhookSecret
}

// WaitForSent waits until at least n messages were sent and returns them;
// the test fails if that takes longer than timeout.
func (s *Server) WaitForSent(t testing.TB, n int, timeout time.Duration) []SentMessage {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		sent, changed := append([]SentMessage(nil), s.sent...), s.changed
		s.mu.Unlock()
		if len(sent) >= n {
			return sent
		}
		select {
		case <-changed:
		case <-deadline.C:
			t.Fatalf("telegramfake: %d message(s) sent after %v, want %d", len(sent), timeout, n)
			return nil
		}
	}
}

// broadcastLocked wakes everyone waiting for a change; s.mu must be held.
func (s *Server) broadcastLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}
