package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/api"
	"github.com/incassobot/incassobot/bot/hotstate"
	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/dialogs"
	"golang.org/x/term"
)

func init() {
	register(command{
		name:    "chat",
		args:    "--case REF [--channel sms|whatsapp|telegram] [--json]",
		summary: "talk to the bot as the debtor of a case, one line per message",
		run:     runChat,
	})
}

// chatShare is what a Telegram user types in the terminal to press the
// "share my phone number" button.
const chatShare = "/share"

// runChat is a debtor session in the terminal: each line read is one
// message from the debtor's own phone (the first number on file), handled
// by the same bot.Conversations the webhooks use, so the dossier records it
// all. With --json every turn prints one JSON object: the scriptable
// interface other tools (and the load generator) use.
func runChat(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "chat", "--case REF [--channel sms|whatsapp|telegram] [--json]")
	ref := fs.String("case", "", "the dossier number to talk about (required)")
	channel := fs.String("channel", "sms", "the channel to pretend to be: sms, whatsapp or telegram")
	asJSON := fs.Bool("json", false, "print one JSON object per turn")
	if _, err := parseFlags(fs, args); err != nil {
		return helpOK(err)
	}
	switch {
	case *ref == "":
		return usageErrorf("chat: --case REF is required")
	case *channel != "sms" && *channel != "whatsapp" && *channel != "telegram":
		return usageErrorf("chat: --channel %q: want sms, whatsapp or telegram", *channel)
	}
	cfg, st, err := e.openConfigured(ctx, false)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := seedIfEmpty(ctx, e, st); err != nil {
		return err
	}
	c, err := st.CaseByRef(ctx, *ref)
	if errors.Is(err, casestore.ErrNotFound) {
		return usageErrorf("chat: no case with dossier number %q", *ref)
	} else if err != nil {
		return err
	}
	hot, err := openHot(ctx, cfg)
	if err != nil {
		return err
	}
	defer hot.Close()

	s := &chatSession{
		e: e, conv: &bot.Conversations{Store: st, Hot: hot, Now: e.now, Log: e.log, Office: cfg.Office,
			Agency: cfg.agency()},
		channel: *channel, json: *asJSON,
	}
	if len(c.Debtor.Phones) > 0 {
		s.phone = c.Debtor.Phones[0]
	}
	s.from = s.phone
	if *channel == "telegram" {
		// Telegram does not tell the bot the number until it is shared.
		s.from, s.phone = "cli-"+c.Ref, ""
		if !s.json {
			fmt.Fprintf(e.stdout, "(Telegram: type %s to press the 'share my phone number' button)\n", chatShare)
		}
	}
	return s.loop(ctx, c)
}

// openHot is Redis when REDIS_URL is set, else process memory.
func openHot(ctx context.Context, cfg config) (hotstate.Store, error) {
	if cfg.RedisURL == "" {
		return hotstate.NewMemory(), nil
	}
	r, err := hotstate.OpenRedis(ctx, cfg.RedisURL, cfg.RedisPrefix)
	if err != nil {
		return nil, fmt.Errorf("open Redis: %w", err)
	}
	return r, nil
}

type chatSession struct {
	e             *env
	conv          *bot.Conversations
	channel, from string
	phone         string
	json          bool
	turns         int
}

func (s *chatSession) loop(ctx context.Context, c *casestore.Case) error {
	interactive := false
	if f, ok := s.e.stdin.(interface{ Fd() uintptr }); ok {
		interactive = term.IsTerminal(int(f.Fd()))
	}
	in := bufio.NewScanner(s.e.stdin)
	in.Buffer(make([]byte, 64*1024), 1<<20)
	for {
		if interactive {
			fmt.Fprint(s.e.stdout, "> ")
		}
		if !in.Scan() {
			return in.Err()
		}
		if err := s.turn(ctx, c, in.Text()); err != nil {
			return err
		}
	}
}

func (s *chatSession) turn(ctx context.Context, c *casestore.Case, line string) error {
	s.turns++
	// No provider id: a terminal line is never a provider's retry, and
	// ids like "cli-1" would collide with an earlier session's.
	msg := bot.Inbound{Channel: s.channel, From: s.from, Phone: s.phone, Text: line}
	if s.channel == "telegram" && strings.TrimSpace(line) == chatShare && len(c.Debtor.Phones) > 0 {
		s.phone = c.Debtor.Phones[0]
		msg.Phone, msg.PhoneShared, msg.Text = s.phone, true, ""
	}
	t, err := s.conv.Handle(ctx, msg)
	if err != nil {
		return err
	}
	if s.json {
		return json.NewEncoder(s.e.stdout).Encode(chatTurnJSON(s.turns, line, t))
	}
	for _, r := range t.Replies {
		fmt.Fprintln(s.e.stdout, indent(r.Text))
		fmt.Fprintln(s.e.stdout)
	}
	return nil
}

func indent(text string) string {
	return "bot: " + strings.ReplaceAll(text, "\n", "\n     ")
}

// chatTurn is the --json shape of one turn; field names are an interface,
// in the project's JSON convention (snake_case, two-decimal money).
type chatTurn struct {
	Turn     int                `json:"turn"`
	Input    string             `json:"input"`
	Reply    string             `json:"reply"`
	Replies  []dialogs.Reply    `json:"replies"`
	State    string             `json:"state"`
	Verified bool               `json:"verified"`
	Language casestore.Language `json:"language"`
	Intent   dialogs.Intent     `json:"intent"`
	// Entities is what the bot read in the input (dialogs.Understanding):
	// intent, language, switch_to, yes, no, choice, amounts, terms, dates,
	// abusive, reason, dossier_ref, postcode, birth_date, numbers.
	Entities json.RawMessage `json:"entities"`
	// Dossier is the entries this turn wrote, shaped as the creditors'
	// API shows them (id, at, kind, actor, channel, text, body).
	Dossier []api.Entry `json:"dossier"`
	Effects []string    `json:"effects"`
}

func chatTurnJSON(n int, input string, t bot.Turn) chatTurn {
	texts := make([]string, len(t.Replies))
	for i, r := range t.Replies {
		texts[i] = r.Text
	}
	out := chatTurn{
		Turn: n, Input: input, Reply: strings.Join(texts, "\n\n"), Replies: t.Replies,
		State: string(t.Result.State.Node), Verified: t.Result.State.Verified, Language: t.Result.State.Lang,
		Intent: t.Result.Intent, Dossier: make([]api.Entry, 0, len(t.Entries)), Effects: t.Effects,
	}
	// Understanding has no JSON tags (dialogs is pure and knows no output
	// format): its Go names become snake_case here, its amounts "50.00".
	if u, err := json.Marshal(t.Result.Understanding); err == nil {
		out.Entities = casestore.OutputJSON(u)
	}
	for _, e := range t.Entries {
		out.Dossier = append(out.Dossier, api.NewEntry(e))
	}
	if out.Replies == nil {
		out.Replies = []dialogs.Reply{}
	}
	if out.Effects == nil {
		out.Effects = []string{}
	}
	return out
}
