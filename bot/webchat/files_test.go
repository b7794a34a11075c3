package webchat_test

import (
	"bytes"
	"context"
	"log/slog"
	"mime/multipart"
	"net/http/httptest"
	"net/textproto"
	"testing"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/hotstate"
	"github.com/incassobot/incassobot/bot/webchat"
	"github.com/incassobot/incassobot/casestore/sqlite/sqlitetest"
	"github.com/incassobot/incassobot/casestore/storetest"
)

// uploadForm is the multipart body the page's file control sends.
func uploadForm(t *testing.T, id, name, contentType string, data []byte) (string, *bytes.Buffer) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	if err := mw.WriteField("id", id); err != nil {
		t.Fatal(err)
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename="`+name+`"`)
	h.Set("Content-Type", contentType)
	w, err := mw.CreatePart(h)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(data)
	mw.Close()
	return mw.FormDataContentType(), &b
}

// A verified debtor uploads a PDF from the web chat: it is kept as evidence
// in the case, under the same rules as a file sent over WhatsApp; without
// the CSRF token nothing is taken.
func TestWebChatUploadKeepsEvidence(t *testing.T) {
	ctx := context.Background()
	store := sqlitetest.Open(t)
	c := storetest.NewCase(t, store, "IB-2026-000777")
	hot := hotstate.NewMemory()
	quiet := slog.New(slog.DiscardHandler)
	router := &bot.Router{Store: store, Conversations: &bot.Conversations{Store: store, Hot: hot, Log: quiet}}
	wc := webchat.New(webchat.Config{}, router, hot, quiet)
	t.Cleanup(wc.Close)
	h := wc.Handler()
	_, bs := openPage(t, h, nil)
	for i, say := range []string{"IB-2026-000777 1234AB", "deze factuur klopt niet"} {
		if rec := post(h, bs.cookie, bs.csrf, "application/json", `{"id":"m`+string(rune('0'+i))+`","text":"`+say+`"}`); rec.Code != 202 {
			t.Fatalf("POST %q = %d %s", say, rec.Code, rec.Body)
		}
	}
	pdf := []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
	upload := func(csrf string) int {
		ct, body := uploadForm(t, "file-1", "bon.pdf", "application/pdf", pdf)
		req := httptest.NewRequest("POST", "/chat/files", body)
		req.AddCookie(bs.cookie)
		if csrf != "" {
			req.Header.Set("X-CSRF-Token", csrf)
		}
		req.Header.Set("Content-Type", ct)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code
	}
	if code := upload(""); code != 403 {
		t.Fatalf("an upload without the CSRF token: %d, want 403", code)
	}
	if files, _ := store.MediaOf(ctx, c.ID); len(files) != 0 {
		t.Fatalf("a refused upload was kept: %+v", files)
	}
	if code := upload(bs.csrf); code != 202 {
		t.Fatalf("upload = %d, want 202", code)
	}
	files, err := store.MediaOf(ctx, c.ID)
	if err != nil || len(files) != 1 || files[0].ContentType != "application/pdf" || files[0].Size != int64(len(pdf)) {
		t.Fatalf("evidence kept: %+v, %v; want the PDF", files, err)
	}
}
