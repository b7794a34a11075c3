package webchat

import (
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/casestore"
)

// files accepts a photo or PDF the debtor sends as evidence (a dispute, a
// payment), as multipart/form-data with the page's message id ("id") and
// the file ("file"). The same rules as on the other channels apply: the
// bot checks type, size and content (bot.prepareEvidence) and says why a
// file was not kept. Status codes as messages; 413 for a file over
// casestore.MaxMediaBytes is not used: such a file reaches the dialog
// without its bytes, so the debtor hears why.
func (wc *WebChat) files() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, err := wc.session(r)
		if err != nil && !errors.Is(err, errNoSession) {
			wc.log.Warn("webchat: session unavailable", "err", err)
			httpError(w, http.StatusServiceUnavailable, "chat unavailable; try again")
			return
		}
		if s == nil || !csrfOK(r, s) {
			httpError(w, http.StatusForbidden, "session or CSRF token missing or invalid")
			return
		}
		if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "multipart/form-data" {
			httpError(w, http.StatusUnsupportedMediaType, "send multipart/form-data")
			return
		}
		// Room for one file one byte over the limit, and the form around it.
		r.Body = http.MaxBytesReader(w, r.Body, casestore.MaxMediaBytes+64<<10)
		mr, err := r.MultipartReader()
		if err != nil {
			httpError(w, http.StatusBadRequest, "broken form")
			return
		}
		var id string
		var media *bot.Media
		for {
			p, err := mr.NextPart()
			if errors.Is(err, io.EOF) {
				break
			}
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				httpError(w, http.StatusRequestEntityTooLarge, "file too large")
				return
			}
			if err != nil {
				httpError(w, http.StatusBadRequest, "broken form")
				return
			}
			switch p.FormName() {
			case "id":
				b, _ := io.ReadAll(io.LimitReader(p, maxClientID+1))
				id = string(b)
			case "file":
				data, err := io.ReadAll(io.LimitReader(p, casestore.MaxMediaBytes+1))
				if err != nil {
					httpError(w, http.StatusRequestEntityTooLarge, "file too large")
					return
				}
				media = &bot.Media{ContentType: p.Header.Get("Content-Type"), Size: int64(len(data)), Data: data}
				if len(data) > casestore.MaxMediaBytes {
					media.Data = nil // the dialog says it is too large
				}
			}
		}
		if !validClientID(id) || media == nil || media.Size == 0 {
			httpError(w, http.StatusBadRequest, "an id and a file are needed")
			return
		}
		client, ok := wc.admit(w, r, s)
		if !ok {
			return
		}
		in := bot.Inbound{Channel: Channel, From: s.Conversation, Client: client,
			ProviderID: "web:" + s.Conversation + ":" + id, Media: []bot.Media{*media}, At: wc.cfg.Now()}
		if err := wc.sink.Receive(r.Context(), in); err != nil {
			wc.log.Warn("webchat: file not committed", "err", err)
			httpError(w, http.StatusInternalServerError, "not saved; please send again")
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusAccepted)
		_, _ = w.Write([]byte(`{"status":"accepted"}` + "\n"))
	})
}
