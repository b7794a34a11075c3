package telegram_test

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/telegram"
	"github.com/incassobot/incassobot/bot/telegram/telegramfake"
)

// startPoll runs Poll in the background; stop cancels it and returns what
// Poll returned, failing the test if Poll does not stop within 3 s.
func startPoll(t *testing.T, api *telegram.Client, sink bot.Sink) (stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- api.Poll(ctx, sink, testLog(t)) }()
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			cancel()
			<-done
		}
	})
	return func() error {
		stopped = true
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(3 * time.Second):
			t.Fatal("Poll did not stop within 3s of cancel")
			return nil
		}
	}
}

func providerIDs(ins []bot.Inbound) []string {
	var ids []string
	for _, in := range ins {
		ids = append(ids, in.ProviderID)
	}
	return ids
}

func TestPollDeliversUpdatesInOrderAndStopsOnCancel(t *testing.T) {
	fake := telegramfake.New(t, testToken)
	api, _ := newClient(t, fake, nil)
	// A webhook left over from `serve` with PUBLIC_URL: polling must remove it.
	if err := api.SetWebhook("https://bot.example.nl/webhooks/telegram", testSecret); err != nil {
		t.Fatal(err)
	}
	fake.PushUpdate(msg(201, telegramfake.Message{Text: "een"}))
	fake.PushUpdate(msg(202, telegramfake.Message{Text: "twee", Edited: true})) // ignored, but passed
	fake.PushUpdate(msg(203, telegramfake.Message{Contact: &telegramfake.Contact{PhoneNumber: "31612345678", UserID: chat}}))
	fake.PushUpdate(msg(204, telegramfake.Message{Text: "drie"}))
	sink := &recordingSink{}
	stop := startPoll(t, api, sink)

	got := sink.waitCommitted(t, 3)
	if want := []string{"upd:201", "upd:203", "upd:204"}; !reflect.DeepEqual(providerIDs(got), want) {
		t.Errorf("received %v, want %v", providerIDs(got), want)
	}
	if got[1].Phone != "+31612345678" || !got[1].PhoneShared {
		t.Errorf("contact update: Phone %q PhoneShared %v, want +31612345678 true", got[1].Phone, got[1].PhoneShared)
	}
	if url, _ := fake.Webhook(); url != "" {
		t.Errorf("webhook still set to %q while polling", url)
	}
	// An update that arrives while Poll waits is picked up by the long poll.
	fake.PushUpdate(msg(205, telegramfake.Message{Text: "vier"}))
	sink.waitCommitted(t, 4)

	if err := stop(); err != nil {
		t.Errorf("Poll returned %v after cancel, want nil", err)
	}
	if n := fake.Pending(); n != 0 {
		t.Errorf("%d update(s) left unconfirmed at Telegram after a clean stop, want 0", n)
	}
}

func TestPollRetriesAnUpdateTheSinkCouldNotCommit(t *testing.T) {
	fake := telegramfake.New(t, testToken)
	api, _ := newClient(t, fake, nil)
	for i, text := range []string{"een", "twee", "drie"} {
		fake.PushUpdate(msg(301+i, telegramfake.Message{Text: text}))
	}
	sink := &recordingSink{fail: func(in bot.Inbound, attempt int) error {
		if in.ProviderID == "upd:302" && attempt == 2 {
			return errors.New("database is down")
		}
		return nil
	}}
	stop := startPoll(t, api, sink)
	committed := sink.waitCommitted(t, 3)
	_ = stop()

	attempts, _ := sink.snapshot()
	if want := []string{"upd:301", "upd:302", "upd:302", "upd:303"}; !reflect.DeepEqual(providerIDs(attempts), want) {
		t.Errorf("Receive calls %v, want %v (302 retried, 303 not before it)", providerIDs(attempts), want)
	}
	if want := []string{"upd:301", "upd:302", "upd:303"}; !reflect.DeepEqual(providerIDs(committed), want) {
		t.Errorf("committed %v, want %v", providerIDs(committed), want)
	}
}

func TestPollRetriesAfterTelegramAndFetchFailures(t *testing.T) {
	fake := telegramfake.New(t, testToken)
	api, _ := newClient(t, fake, nil)
	fake.FailNext("deleteWebhook", 502, 0, 1)
	fake.FailNext("getUpdates", 500, 0, 2)
	fake.FailNext("getFile", 429, 1, 1)
	fake.AddFile("doc-pdf", "documents/file_1.pdf", "application/pdf", pdfBytes)
	fake.PushUpdate(msg(401, telegramfake.Message{Document: &telegramfake.Document{FileID: "doc-pdf", MimeType: "application/pdf"}}))
	sink := &recordingSink{}
	began := time.Now()
	stop := startPoll(t, api, sink)
	got := sink.waitCommitted(t, 1)
	_ = stop()
	if d := time.Since(began); d < time.Second {
		t.Errorf("update committed after %v, want Poll to wait out getFile's retry_after of 1 s", d)
	}
	if len(got[0].Media) != 1 || !bytes.Equal(got[0].Media[0].Data, pdfBytes) {
		t.Errorf("media %+v, want the PDF after the getFile retry", got[0].Media)
	}
	if n := fake.Calls("getFile"); n != 2 {
		t.Errorf("getFile called %d times, want 2 (one refused, one retry)", n)
	}
}

func TestPollCancelInterruptsALongPoll(t *testing.T) {
	fake := telegramfake.New(t, testToken)
	fake.MaxPollWait = time.Minute
	api, _ := newClient(t, fake, func(c *telegram.Config) { c.PollTimeout = 50 * time.Second })
	stop := startPoll(t, api, &recordingSink{})
	deadline := time.Now().Add(3 * time.Second)
	for fake.Calls("getUpdates") == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	began := time.Now()
	if err := stop(); err != nil {
		t.Errorf("Poll returned %v, want nil", err)
	}
	// confirm() may add up to its own 2 s; a missed cancel would wait ~50 s.
	if d := time.Since(began); d > 2500*time.Millisecond {
		t.Errorf("Poll took %v to stop, want it to abandon the long poll at once", d)
	}
}

func TestPollStopsWhenTelegramRefusesTheToken(t *testing.T) {
	fake := telegramfake.New(t, testToken)
	api, _ := newClient(t, fake, nil)
	fake.FailNext("getUpdates", 401, 0, 1)
	err := api.Poll(context.Background(), &recordingSink{}, testLog(t))
	if err == nil {
		t.Fatal("Poll returned nil after 401 Unauthorized, want an error")
	}
	if bytes.Contains([]byte(err.Error()), []byte(testToken)) {
		t.Errorf("error %q contains the bot token", err)
	}
}
