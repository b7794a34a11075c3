package telegramfake

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"time"
	"unicode/utf16"
)

// maxDownloadBytes is the Bot API's limit on files a bot may download.
const maxDownloadBytes = 20 << 20

type params map[string]string

type methodFunc func(w http.ResponseWriter, r *http.Request, p params)

func (s *Server) methods() map[string]methodFunc {
	return map[string]methodFunc{
		"getMe":          s.getMe,
		"setWebhook":     s.setWebhook,
		"deleteWebhook":  s.deleteWebhook,
		"getWebhookInfo": s.getWebhookInfo,
		"getUpdates":     s.getUpdates,
		"sendMessage":    s.sendMessage,
		"getFile":        s.getFile,
	}
}

func (s *Server) getMe(w http.ResponseWriter, _ *http.Request, _ params) {
	ok(w, map[string]any{"id": BotID, "is_bot": true, "first_name": "Incassobot test", "username": BotUsername})
}

func (s *Server) setWebhook(w http.ResponseWriter, _ *http.Request, p params) {
	s.mu.Lock()
	s.webhookURL, s.webhookSecret = p["url"], p["secret_token"]
	s.mu.Unlock()
	ok(w, true)
}

func (s *Server) deleteWebhook(w http.ResponseWriter, _ *http.Request, p params) {
	s.mu.Lock()
	s.webhookURL, s.webhookSecret = "", ""
	if p["drop_pending_updates"] == "true" {
		s.queue = nil
	}
	s.mu.Unlock()
	ok(w, true)
}

func (s *Server) getWebhookInfo(w http.ResponseWriter, _ *http.Request, _ params) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ok(w, map[string]any{"url": s.webhookURL, "pending_update_count": len(s.queue)})
}

// getUpdates confirms the updates before offset, then returns those from
// offset on, waiting (up to timeout, capped by MaxPollWait) for one.
func (s *Server) getUpdates(w http.ResponseWriter, r *http.Request, p params) {
	offset, _ := strconv.Atoi(p["offset"])
	limit, _ := strconv.Atoi(p["limit"])
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	timeout, _ := strconv.Atoi(p["timeout"])
	wait := time.NewTimer(min(time.Duration(timeout)*time.Second, s.MaxPollWait))
	defer wait.Stop()
	for {
		s.mu.Lock()
		if s.webhookURL != "" {
			s.mu.Unlock()
			apiError(w, http.StatusConflict, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first", 0)
			return
		}
		if offset > 0 {
			for len(s.queue) > 0 && s.queue[0].id < offset {
				s.queue = s.queue[1:]
			}
		}
		var out []json.RawMessage
		for _, q := range s.queue {
			if q.id >= offset && len(out) < limit {
				out = append(out, q.raw)
			}
		}
		changed := s.changed
		s.mu.Unlock()
		if len(out) > 0 {
			ok(w, out)
			return
		}
		select {
		case <-changed:
		case <-wait.C:
			ok(w, []json.RawMessage{})
			return
		case <-r.Context().Done():
			return
		}
	}
}

func (s *Server) sendMessage(w http.ResponseWriter, _ *http.Request, p params) {
	chatID, err := strconv.ParseInt(p["chat_id"], 10, 64)
	if err != nil || chatID == 0 {
		apiError(w, http.StatusBadRequest, "Bad Request: chat not found", 0)
		return
	}
	text := p["text"]
	switch units := len(utf16.Encode([]rune(text))); {
	case units == 0:
		apiError(w, http.StatusBadRequest, "Bad Request: message text is empty", 0)
		return
	case units > 4096:
		apiError(w, http.StatusBadRequest, "Bad Request: message is too long", 0)
		return
	}
	m := SentMessage{ChatID: chatID, Text: text, ParseMode: p["parse_mode"]}
	if raw := p["reply_markup"]; raw != "" {
		m.ReplyMarkup = json.RawMessage(raw)
		if err := json.Unmarshal(m.ReplyMarkup, &m.Markup); err != nil {
			apiError(w, http.StatusBadRequest, "Bad Request: can't parse reply keyboard markup JSON object", 0)
			return
		}
	}
	time.Sleep(s.SendDelay)
	s.mu.Lock()
	if s.blocked[chatID] {
		s.mu.Unlock()
		apiError(w, http.StatusForbidden, "Forbidden: bot was blocked by the user", 0)
		return
	}
	s.lastMessageID++
	m.MessageID = s.lastMessageID
	s.sent = append(s.sent, m)
	s.broadcastLocked()
	s.mu.Unlock()
	ok(w, map[string]any{
		"message_id": m.MessageID, "date": time.Now().Unix(), "text": text,
		"chat": map[string]any{"id": chatID, "type": "private"},
		"from": map[string]any{"id": BotID, "is_bot": true, "first_name": "Incassobot test", "username": BotUsername},
	})
}

func (s *Server) getFile(w http.ResponseWriter, _ *http.Request, p params) {
	s.mu.Lock()
	f, known := s.files[p["file_id"]]
	omitSize := s.OmitFileSize
	s.mu.Unlock()
	switch {
	case !known:
		apiError(w, http.StatusBadRequest, "Bad Request: invalid file_id", 0)
	case len(f.data) > maxDownloadBytes:
		apiError(w, http.StatusBadRequest, "Bad Request: file is too big", 0)
	default:
		file := map[string]any{"file_id": p["file_id"], "file_unique_id": "u" + p["file_id"], "file_path": f.path}
		if !omitSize {
			file["file_size"] = len(f.data)
		}
		ok(w, file)
	}
}

// serveFile serves a file added with AddFile by its path.
func (s *Server) serveFile(w http.ResponseWriter, path string) {
	if f, failed := s.takeFailure("file"); failed {
		http.Error(w, http.StatusText(f.status), f.status)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range s.files {
		if f.path == path {
			w.Header().Set("Content-Type", f.contentType)
			w.Header().Set("Content-Length", strconv.Itoa(len(f.data)))
			_, _ = w.Write(f.data)
			return
		}
	}
	http.Error(w, "Not Found", http.StatusNotFound)
}

// readParams reads a method's parameters the ways the Bot API accepts
// them: query string, form (urlencoded or multipart) or a JSON object.
func readParams(r *http.Request) (params, error) {
	p := params{}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "application/json" {
		var fields map[string]json.RawMessage
		if err := json.NewDecoder(r.Body).Decode(&fields); err != nil {
			return nil, fmt.Errorf("can't parse JSON: %v", err)
		}
		for k, v := range fields {
			var str string
			if json.Unmarshal(v, &str) == nil {
				p[k] = str
			} else {
				p[k] = string(v)
			}
		}
		return p, nil
	}
	if ct == "multipart/form-data" {
		if err := r.ParseMultipartForm(32 << 20); err != nil {
			return nil, err
		}
	} else if err := r.ParseForm(); err != nil {
		return nil, err
	}
	for k := range r.Form {
		p[k] = r.Form.Get(k)
	}
	return p, nil
}

func ok(w http.ResponseWriter, result any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": result})
}

// apiError answers as the Bot API does: the HTTP status and a JSON body
// with error_code, description and, for flood control, retry_after.
func apiError(w http.ResponseWriter, status int, description string, retryAfter int) {
	body := map[string]any{"ok": false, "error_code": status, "description": description}
	if retryAfter > 0 {
		body["parameters"] = map[string]any{"retry_after": retryAfter}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// describeStatus is Telegram's description for a scripted failure.
func describeStatus(status, retryAfter int) string {
	switch status {
	case http.StatusTooManyRequests:
		return "Too Many Requests: retry after " + strconv.Itoa(retryAfter)
	case http.StatusForbidden:
		return "Forbidden: bot was blocked by the user"
	case http.StatusBadRequest:
		return "Bad Request: chat not found"
	case http.StatusConflict:
		return "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
	}
	return http.StatusText(status)
}

func itoa(n int) string { return strconv.Itoa(n) }
