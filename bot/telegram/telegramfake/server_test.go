package telegramfake_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot/telegram/telegramfake"
)

const token = "42:fake-token"

type answer struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
}

func call(t *testing.T, fake *telegramfake.Server, tok, method string, form url.Values) (int, answer) {
	t.Helper()
	resp, err := http.PostForm(fake.URL+"/bot"+tok+"/"+method, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var a answer
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		t.Fatalf("%s: body is not a Bot API answer: %v", method, err)
	}
	return resp.StatusCode, a
}

func TestFakeAnswersLikeTelegram(t *testing.T) {
	fake := telegramfake.New(t, token)
	if status, a := call(t, fake, "42:other", "getMe", nil); status != 401 || a.OK || a.ErrorCode != 401 {
		t.Errorf("wrong token: %d %+v, want 401 Unauthorized", status, a)
	}
	if status, _ := call(t, fake, token, "sendPigeon", nil); status != 404 {
		t.Errorf("unknown method: %d, want 404", status)
	}
	call(t, fake, token, "setWebhook", url.Values{"url": {"https://x.example/hook"}})
	if status, a := call(t, fake, token, "getUpdates", nil); status != 409 || !strings.Contains(a.Description, "webhook is active") {
		t.Errorf("getUpdates with a webhook: %d %+v, want 409", status, a)
	}
	call(t, fake, token, "deleteWebhook", nil)
	if status, _ := call(t, fake, token, "sendMessage", url.Values{"chat_id": {"5"}, "text": {strings.Repeat("x", 4097)}}); status != 400 {
		t.Errorf("sendMessage over 4096 characters: %d, want 400", status)
	}
}

func TestFakeGetUpdatesConfirmsByOffsetAndWaitsForPushes(t *testing.T) {
	fake := telegramfake.New(t, token)
	first := fake.PushUpdate(telegramfake.Message{ChatID: 5, Text: "a"}.Update())
	second := fake.PushUpdate(telegramfake.TextUpdate(0, 5, "b"))
	if first != 1 || second != 2 {
		t.Fatalf("assigned update ids %d, %d, want 1, 2", first, second)
	}
	_, a := call(t, fake, token, "getUpdates", nil)
	var got []struct {
		UpdateID int `json:"update_id"`
	}
	_ = json.Unmarshal(a.Result, &got)
	if len(got) != 2 {
		t.Fatalf("getUpdates returned %s, want 2 updates", a.Result)
	}
	call(t, fake, token, "getUpdates", url.Values{"offset": {"3"}, "timeout": {"0"}})
	if n := fake.Pending(); n != 0 {
		t.Errorf("%d update(s) pending after offset 3, want 0", n)
	}
	go func() {
		time.Sleep(50 * time.Millisecond)
		fake.PushUpdate(telegramfake.TextUpdate(0, 5, "c"))
	}()
	began := time.Now()
	_, a = call(t, fake, token, "getUpdates", url.Values{"offset": {"3"}, "timeout": {"30"}})
	if !strings.Contains(string(a.Result), `"update_id":3`) || time.Since(began) > time.Second {
		t.Errorf("long poll answered %s after %v, want update 3 as soon as it was pushed", a.Result, time.Since(began))
	}
}

func TestFakeAcceptsJSONParameters(t *testing.T) {
	fake := telegramfake.New(t, token)
	body := `{"chat_id": 5551, "text": "hoi", "reply_markup": {"keyboard": [[{"text": "Ja"}]], "one_time_keyboard": true}}`
	resp, err := http.Post(fake.URL+"/bot"+token+"/sendMessage", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	sent := fake.WaitForSent(t, 1, time.Second)
	if sent[0].ChatID != 5551 || sent[0].Text != "hoi" || sent[0].Markup == nil || sent[0].Markup.Keyboard[0][0].Text != "Ja" {
		t.Errorf("recorded %+v", sent[0])
	}
}
