package bot_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/casestore"
)

// Red team session 5, LOW-1: unverified web chats typing MENS from fresh
// sessions of one /64 created a queue item each. One client now has at
// most one unverified handoff open at a time, even when the requests come
// at once; the others are told a person is already asked for. Another
// client gets its own, and once the first is resolved the client may ask
// again.
func TestOneClientHasAtMostOneUnverifiedHandoffOpen(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			f := newFixture(t, b)
			ctx := context.Background()
			const n = 12
			replies := make([]string, n)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					turn, err := f.conv.Handle(ctx, bot.Inbound{Channel: "web", From: fmt.Sprintf("wc_flood%02d", i),
						Client: fmt.Sprintf("2001:db8:bb:1::%x", i+1), Text: "MENS"})
					if err != nil {
						t.Error(err)
						return
					}
					for _, r := range turn.Replies {
						replies[i] += r.Text + "\n"
					}
				}()
			}
			close(start)
			wg.Wait()
			queue, err := f.store.Queue(ctx, casestore.QueueFilter{})
			if err != nil || len(queue) != 1 {
				t.Fatalf("%d MENS from one /64 at once queued %d chats (%v), want 1", n, len(queue), err)
			}
			told := 0
			for _, r := range replies {
				if strings.Contains(r, "al een medewerker gevraagd") {
					told++
				}
			}
			if told != n-1 {
				t.Fatalf("%d of the %d others were told a person is already asked for; replies:\n%s", told, n-1, strings.Join(replies, "---\n"))
			}
			if _, err := f.conv.Handle(ctx, bot.Inbound{Channel: "web", From: "wc_other", Client: "2001:db8:cc:1::1", Text: "MENS"}); err != nil {
				t.Fatal(err)
			}
			if queue, _ = f.store.Queue(ctx, casestore.QueueFilter{}); len(queue) != 2 {
				t.Fatalf("another /64's request: %d queued, want 2", len(queue))
			}
			kim := f.collector()
			for _, h := range queue {
				if h.Address == "wc_other" {
					continue
				}
				if _, err := f.store.ClaimHandoff(ctx, h.ID, kim.ID, f.now, 10*time.Minute); err != nil {
					t.Fatal(err)
				}
				if _, err := f.store.ResolveHandoff(ctx, h.ID, kim.ID, f.now); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := f.conv.Handle(ctx, bot.Inbound{Channel: "web", From: "wc_later", Client: "2001:db8:bb:1::99", Text: "MENS"}); err != nil {
				t.Fatal(err)
			}
			if queue, _ = f.store.Queue(ctx, casestore.QueueFilter{}); len(queue) != 2 {
				t.Fatalf("after the first was resolved the client could not ask again: %d queued, want 2", len(queue))
			}
		})
	}
}
