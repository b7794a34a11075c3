package spool_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/spool"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func msg(from, id, text string) bot.Inbound {
	return bot.Inbound{Channel: "sms", From: from, ProviderID: id, Text: text, At: time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC),
		Media: []bot.Media{{ContentType: "image/jpeg", Data: []byte{0xff, 0xd8, 0xff}}}}
}

// What a dead instance spooled is there for the next one on the same
// directory, each provider id once, with its data; the replay keeps each
// conversation's order even when one conversation's message fails for a
// while (the store still down for it), and leaves nothing behind.
func TestSpoolSurvivesARestartAndReplaysInOrderOncePerProviderID(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	sp, err := spool.Open(dir, quiet)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range []bot.Inbound{msg("+31611111111", "SMa1", "a1"), msg("+31622222222", "SMb1", "b1"),
		msg("+31611111111", "SMa2", "a2"), msg("+31611111111", "SMa1", "a1"), msg("+31622222222", "SMb2", "b2")} {
		if err := sp.Put(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	if err := sp.Close(); err != nil { // the instance dies; the file stays
		t.Fatal(err)
	}

	sp, err = spool.Open(dir, quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer sp.Close()
	if depth, oldest := sp.Stats(); depth != 4 || oldest.IsZero() {
		t.Fatalf("after the restart the spool holds %d (oldest %v), want the 4 distinct messages", depth, oldest)
	}
	if !sp.Holds("sms:+31611111111") || sp.Holds("sms:+31633333333") {
		t.Fatal("Holds does not tell which conversations wait in the spool")
	}
	var handled []string
	down := true
	handle := func(_ context.Context, in bot.Inbound) error {
		if in.Text == "a1" && down {
			return errors.New("store down for a moment")
		}
		if len(in.Media) != 1 || len(in.Media[0].Data) != 3 || in.At.IsZero() {
			t.Errorf("%s came back without its media or time: %+v", in.Text, in)
		}
		handled = append(handled, in.Text)
		return nil
	}
	stillDown := func(context.Context) error { return errors.New("down") }
	if err := sp.Replay(ctx, handle, stillDown); err == nil {
		t.Fatal("Replay with a failing message returned no error")
	}
	if !slices.Equal(handled, []string{"b1", "b2"}) {
		t.Fatalf("first pass handled %q, want b1, b2 and nothing of a (a1 failed, a2 waits behind it)", handled)
	}
	down = false
	if err := sp.Replay(ctx, handle, stillDown); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(handled, []string{"b1", "b2", "a1", "a2"}) {
		t.Fatalf("handled %q, want each once, in order per conversation", handled)
	}
	if depth, _ := sp.Stats(); depth != 0 || sp.Holds("sms:+31611111111") {
		t.Fatalf("after the replay the spool holds %d", depth)
	}
}

// A message the runtime refuses while the store answers is set aside after
// a few passes, and the conversation's next message goes through.
func TestSpoolSetsAsideAMessageRefusedWhileTheStoreAnswers(t *testing.T) {
	ctx := context.Background()
	sp, err := spool.Open(t.TempDir(), quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer sp.Close()
	for _, in := range []bot.Inbound{msg("+31611111111", "SM1", "poison"), msg("+31611111111", "SM2", "next")} {
		if err := sp.Put(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	var handled []string
	handle := func(_ context.Context, in bot.Inbound) error {
		if in.Text == "poison" {
			return errors.New("invalid")
		}
		handled = append(handled, in.Text)
		return nil
	}
	up := func(context.Context) error { return nil }
	for range 20 {
		_ = sp.Replay(ctx, handle, up)
		if len(handled) > 0 {
			break
		}
	}
	if !slices.Equal(handled, []string{"next"}) {
		t.Fatalf("handled %q, want the next message once the refused one was set aside", handled)
	}
	if depth, _ := sp.Stats(); depth != 0 {
		t.Fatalf("spool depth %d, want 0", depth)
	}
}

// One spool, one instance: a second opener fails instead of replaying the
// same messages at the same time.
func TestSpoolBelongsToOneInstance(t *testing.T) {
	dir := t.TempDir()
	sp, err := spool.Open(dir, quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer sp.Close()
	if second, err := spool.Open(dir, quiet); err == nil {
		second.Close()
		t.Fatal("a second instance opened a spool in use")
	}
}
