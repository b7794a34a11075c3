package twilio_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"unicode/utf8"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/twilio"
	"github.com/incassobot/incassobot/bot/twilio/twiliofake"
)

type webhookTest struct {
	Label      string
	Form       url.Values
	Target     string     // URL the request is sent to; inboundURL when ""
	SignedFor  string     // URL the signature covers; Target when ""
	Sign       string     // signed, unsigned or forged
	SignedForm url.Values // the form the signature covers; Form when nil
	RawBody    string     // sent instead of Form when set (unsigned)
	Method     string
	SinkErr    error
	WantStatus int
	// WantInbound is what the sink must receive; nil: the sink is not called.
	WantInbound *bot.Inbound
}

// Media files, with real file signatures so content sniffing agrees.
var (
	jpegBytes = append([]byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), bytes.Repeat([]byte{0x42}, 300)...)
	pdfBytes  = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n")
	oggBytes  = append([]byte("OggS\x00\x02"), bytes.Repeat([]byte{7}, 100)...)
	bigJPEG   = append([]byte("\xff\xd8\xff\xe0"), bytes.Repeat([]byte{1}, 2000)...)
	htmlBytes = []byte("<html><body>not a photo</body></html>")
)

const testMaxMedia = 1024 // bytes; small so the oversize case stays small

func inbound(channel, from, text string, media ...bot.Media) *bot.Inbound {
	return &bot.Inbound{
		Channel: channel, ProviderID: "SM11111111111111111111111111111111",
		From: from, Phone: from, Text: text, Media: media, At: fixedNow,
	}
}

func mediaForm(text string, urls ...string) url.Values {
	f := with(smsForm(text), "NumMedia", string(rune('0'+len(urls)/2)))
	for i := 0; i+1 < len(urls); i += 2 {
		n := string(rune('0' + i/2))
		f.Set("MediaUrl"+n, urls[i])
		f.Set("MediaContentType"+n, urls[i+1])
	}
	return f
}

func TestInboundWebhook(t *testing.T) {
	fake := twiliofake.New(t, accountSID, authToken)
	jpegURL := fake.AddMedia("ME1", "image/jpeg", jpegBytes)
	pdfURL := fake.AddMedia("ME2", "application/pdf", pdfBytes)
	oggURL := fake.AddMedia("ME3", "audio/ogg", oggBytes)
	bigURL := fake.AddMedia("ME4", "image/jpeg", bigJPEG)
	fakeJPEGURL := fake.AddMedia("ME5", "image/jpeg", htmlBytes)
	// A media URL as Twilio writes it; APIURL sends it to the fake.
	twilioURL := "https://api.twilio.com/2010-04-01/Accounts/" + accountSID + "/Messages/MM1/Media/ME1"
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	// An internal address a signed request must not make the server fetch.
	var foreignHits atomic.Int64
	foreign := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		foreignHits.Add(1)
		w.Header().Set("Content-Type", "image/jpeg")
		_, _ = w.Write(jpegBytes)
	}))
	defer foreign.Close()
	longText := strings.Repeat("é", 5000)

	tests := []webhookTest{
		{Label: "signed SMS", Form: smsForm("Wat is mijn saldo?"), WantStatus: 200,
			WantInbound: inbound("sms", "+31612345678", "Wat is mijn saldo?")},
		{Label: "signed WhatsApp", Form: with(smsForm("Hallo"), "From", "whatsapp:+32470123456", "To", "whatsapp:+3197010000002"),
			WantStatus: 200, WantInbound: inbound("whatsapp", "+32470123456", "Hallo")},
		{Label: "signed with explicit default port", Form: smsForm("hoi"), SignedFor: "https://bot.example.nl:443/webhooks/twilio",
			WantStatus: 200, WantInbound: inbound("sms", "+31612345678", "hoi")},
		{Label: "signed with query string", Form: smsForm("hoi"), Target: inboundURL + "?tenant=acme",
			WantStatus: 200, WantInbound: inbound("sms", "+31612345678", "hoi")},
		{Label: "text capped at 4096 characters", Form: smsForm(longText), WantStatus: 200,
			WantInbound: inbound("sms", "+31612345678", strings.Repeat("é", 4096))},
		{Label: "forged signature", Form: smsForm("hoi"), Sign: forged, WantStatus: 403},
		{Label: "unsigned", Form: smsForm("hoi"), Sign: unsigned, WantStatus: 403},
		{Label: "signed for another path", Form: smsForm("hoi"), SignedFor: publicURL + "/webhooks/telegram", WantStatus: 403},
		{Label: "signed for another host", Form: smsForm("hoi"), SignedFor: "https://evil.example.com/webhooks/twilio", WantStatus: 403},
		{Label: "query string not signed", Form: smsForm("hoi"), Target: inboundURL + "?tenant=acme", SignedFor: inboundURL, WantStatus: 403},
		{Label: "text changed after signing", Form: smsForm("Ik betwist de factuur"), SignedForm: smsForm("Ik betaal morgen"), WantStatus: 403},
		{Label: "parameter added after signing", Form: with(smsForm("hoi"), "NumMedia", "1", "MediaUrl0", jpegURL), SignedForm: smsForm("hoi"), WantStatus: 403},
		{Label: "missing MessageSid", Form: with(smsForm("hoi"), "MessageSid", ""), WantStatus: 400},
		{Label: "missing From", Form: with(smsForm("hoi"), "From", ""), WantStatus: 400},
		{Label: "From not a number", Form: with(smsForm("hoi"), "From", "hallo"), WantStatus: 400},
		{Label: "unsupported address kind is acknowledged, not passed on", Form: with(smsForm("hoi"), "From", "messenger:1234"), WantStatus: 200},
		{Label: "oversize body", RawBody: "Body=" + strings.Repeat("a", 70<<10), Sign: unsigned, WantStatus: 413},
		{Label: "not a POST", Method: http.MethodGet, Form: smsForm("hoi"), Sign: unsigned, WantStatus: 405},
		{Label: "sink could not commit", Form: smsForm("hoi"), SinkErr: errNotCommitted, WantStatus: 500},
		{Label: "JPEG fetched with basic auth", Form: mediaForm("bewijs", jpegURL, "image/jpeg"), WantStatus: 200,
			WantInbound: inbound("sms", "+31612345678", "bewijs", bot.Media{ContentType: "image/jpeg", Size: int64(len(jpegBytes)), Data: jpegBytes})},
		{Label: "two files, Twilio URL rewritten to APIURL", Form: mediaForm("", twilioURL, "image/jpeg", pdfURL, "application/pdf"), WantStatus: 200,
			WantInbound: inbound("sms", "+31612345678", "",
				bot.Media{ContentType: "image/jpeg", Size: int64(len(jpegBytes)), Data: jpegBytes},
				bot.Media{ContentType: "application/pdf", Size: int64(len(pdfBytes)), Data: pdfBytes})},
		{Label: "audio is passed without bytes", Form: mediaForm("", oggURL, "audio/ogg"), WantStatus: 200,
			WantInbound: inbound("sms", "+31612345678", "", bot.Media{ContentType: "audio/ogg", Size: int64(len(oggBytes))})},
		{Label: "oversize photo is passed without bytes", Form: mediaForm("", bigURL, "image/jpeg"), WantStatus: 200,
			WantInbound: inbound("sms", "+31612345678", "", bot.Media{ContentType: "image/jpeg", Size: int64(len(bigJPEG))})},
		{Label: "a page claiming to be a JPEG is passed as what it is", Form: mediaForm("", fakeJPEGURL, "image/jpeg"), WantStatus: 200,
			WantInbound: inbound("sms", "+31612345678", "", bot.Media{ContentType: "text/html", Size: int64(len(htmlBytes))})},
		{Label: "media gone at Twilio: message kept, file without bytes", Form: mediaForm("kijk", fake.URL+"/media/nope", "image/png"), WantStatus: 200,
			WantInbound: inbound("sms", "+31612345678", "kijk", bot.Media{ContentType: "image/png"})},
		{Label: "media unreachable: 503 so Twilio retries", Form: mediaForm("kijk", twilioURL, "image/jpeg"), WantStatus: 503},
		{Label: "media on a host that is not Twilio's: not fetched, message kept", Form: mediaForm("kijk", foreign.URL+"/latest/meta-data", "image/jpeg"),
			WantStatus: 200, WantInbound: inbound("sms", "+31612345678", "kijk", bot.Media{ContentType: "image/jpeg"})},
	}
	for _, tc := range tests {
		t.Run(tc.Label, func(t *testing.T) {
			cfg := testConfig(fake)
			cfg.MaxMediaBytes = testMaxMedia
			if strings.HasPrefix(tc.Label, "media unreachable") {
				cfg.APIURL = closed.URL // Twilio itself cannot be reached
			}
			runWebhookTest(t, twilio.NewWebhook, cfg, tc)
		})
	}
	if n := foreignHits.Load(); n != 0 {
		t.Fatalf("a media URL outside Twilio was fetched %d times", n)
	}
}

// runWebhookTest sends tc's request to the handler newHandler builds and
// checks the status and what reached the sink.
func runWebhookTest(t *testing.T, newHandler func(twilio.Config, bot.Sink, *slog.Logger) http.Handler, cfg twilio.Config, tc webhookTest) *recordingSink {
	t.Helper()
	sink := &recordingSink{err: tc.SinkErr}
	h := newHandler(cfg, sink, quietLog())
	target := tc.Target
	if target == "" {
		target = inboundURL
		tc.Target = target
	}
	req := webhookRequest(t, target, tc.SignedFor, tc.Sign, tc.Form)
	if tc.SignedForm != nil {
		signedFor := tc.SignedFor
		if signedFor == "" {
			signedFor = target
		}
		req.Header.Set("X-Twilio-Signature", twiliofake.Sign(authToken, signedFor, tc.SignedForm))
	}
	if tc.RawBody != "" {
		req = httptest.NewRequest(http.MethodPost, target, strings.NewReader(tc.RawBody))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if tc.Method != "" {
		req.Method = tc.Method
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != tc.WantStatus {
		t.Fatalf("status = %d (%q), want %d", rec.Code, rec.Body.String(), tc.WantStatus)
	}
	if tc.WantInbound == nil {
		if len(sink.inbound) != 0 {
			t.Fatalf("sink received %d messages, want none: %+v", len(sink.inbound), sink.inbound)
		}
		return sink
	}
	if len(sink.inbound) != 1 {
		t.Fatalf("sink received %d messages, want 1", len(sink.inbound))
	}
	if got := sink.inbound[0]; !reflect.DeepEqual(got, *tc.WantInbound) {
		t.Errorf("inbound =\n %s\nwant\n %s", describe(got), describe(*tc.WantInbound))
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/xml") {
		t.Errorf("Content-Type = %q, want text/xml", ct)
	}
	if body := rec.Body.String(); body != `<?xml version="1.0" encoding="UTF-8"?><Response></Response>` {
		t.Errorf("body = %q, want empty TwiML", body)
	}
	return sink
}

func describe(in bot.Inbound) string {
	var media []string
	for _, m := range in.Media {
		media = append(media, m.ContentType+"/"+strconv.FormatInt(m.Size, 10)+"/data="+strconv.FormatInt(int64(len(m.Data)), 10))
	}
	text := in.Text
	if utf8.RuneCountInString(text) > 40 {
		text = string([]rune(text)[:40]) + "…(" + strconv.FormatInt(int64(utf8.RuneCountInString(in.Text)), 10) + " runes)"
	}
	return "channel=" + in.Channel + " id=" + in.ProviderID + " from=" + in.From + " phone=" + in.Phone +
		" text=" + text + " at=" + in.At.String() + " media=[" + strings.Join(media, " ") + "]"
}

// LOG_LEVEL=debug shows what happened to a message, never the debtor's
// number or words.
func TestDebugLogHoldsNoPhoneNumberOrText(t *testing.T) {
	fake := twiliofake.New(t, accountSID, authToken)
	var buf strings.Builder
	var mu sync.Mutex
	log := slog.New(slog.NewTextHandler(writerFunc(func(p []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		return buf.Write(p)
	}), &slog.HandlerOptions{Level: slog.LevelDebug}))
	h := twilio.NewWebhook(testConfig(fake), &recordingSink{}, log)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, webhookRequest(t, inboundURL, "", signed, smsForm("mijn pincode is 4321")))
	mu.Lock()
	defer mu.Unlock()
	if rec.Code != 200 || !strings.Contains(buf.String(), "message content") {
		t.Fatalf("webhook %d, log:\n%s", rec.Code, buf.String())
	}
	for _, secret := range []string{"+31612345678", "pincode", "4321"} {
		if strings.Contains(buf.String(), secret) {
			t.Errorf("the debug log holds %q:\n%s", secret, buf.String())
		}
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
