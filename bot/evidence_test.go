package bot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/casestore/storetest"
)

func TestAPhotoSentWithADisputeIsKeptAsEvidence(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			f := newFixture(t, b)
			ctx := context.Background()
			photo := storetest.PhotoJPEG(t)
			f.say("whatsapp", debtorPhone, "IB-2026-000777 1234AB")
			f.say("whatsapp", debtorPhone, "ik wil een factuur betwisten")
			f.say("whatsapp", debtorPhone, "1") // the first invoice
			f.say("whatsapp", debtorPhone, "1") // not received
			f.say("whatsapp", debtorPhone, "Ik heb deze levering nooit gehad.")
			f.now = f.now.Add(1)
			turn, err := f.conv.Handle(ctx, bot.Inbound{Channel: "whatsapp", From: debtorPhone, Phone: debtorPhone,
				Media: []bot.Media{{ContentType: "image/jpeg", Data: photo}}})
			if err != nil {
				t.Fatal(err)
			}
			if len(turn.Replies) == 0 {
				t.Fatal("no reply to the photo")
			}
			f.say("whatsapp", debtorPhone, "klaar")

			kept, err := f.store.MediaOf(ctx, f.c.ID)
			if err != nil || len(kept) != 1 || kept[0].Size != int64(len(photo)) {
				t.Fatalf("want the photo kept with the case, got %+v, %v", kept, err)
			}
			disputes, err := f.store.Disputes(ctx, f.c.ID)
			if err != nil || len(disputes) != 1 {
				t.Fatalf("want one dispute, got %+v, %v", disputes, err)
			}
			if ev := disputes[0].Evidence; len(ev) != 1 || ev[0] != bot.EvidenceRef(kept[0].SHA256) {
				t.Fatalf("the dispute does not name the kept photo: evidence %v, photo sha256 %s", ev, kept[0].SHA256)
			}
		})
	}
}

func TestAFileThatIsNotWhatItClaimsIsRefusedPolitely(t *testing.T) {
	f := newFixture(t, backends[0])
	ctx := context.Background()
	f.say("sms", debtorPhone, "IB-2026-000777 1234AB")
	f.say("sms", debtorPhone, "ik wil een factuur betwisten")
	f.say("sms", debtorPhone, "1")
	f.say("sms", debtorPhone, "1")
	f.say("sms", debtorPhone, "Nooit ontvangen.")
	turn, err := f.conv.Handle(ctx, bot.Inbound{Channel: "sms", From: debtorPhone, Phone: debtorPhone,
		Media: []bot.Media{{ContentType: "image/jpeg", Data: []byte("<html>not a photo</html>")}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(turn.Replies) == 0 || strings.Contains(turn.Replies[0].Text, "Ontvangen") {
		t.Fatalf("a fake JPEG was accepted: %+v", turn.Replies)
	}
	if kept, _ := f.store.MediaOf(ctx, f.c.ID); len(kept) != 0 {
		t.Fatalf("a fake JPEG was stored: %+v", kept)
	}
}
