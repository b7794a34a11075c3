package main

import (
	"context"
	"strings"
	"testing"
)

// With SMTP_URL the e-mail channel is on, and start-up says so without
// the password.
func TestServeWithSMTPURLTurnsEmailOn(t *testing.T) {
	t.Parallel()
	te := newTestEnv(t)
	te.vars["ADDR"] = "127.0.0.1:0"
	te.vars["SMTP_URL"] = "smtp://mailer:geheim-wachtwoord@127.0.0.1:2525"
	te.vars["EMAIL_FROM"] = "Incassobureau <dossiers@example.nl>"
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- te.run(ctx, "serve") }()
	waitForAddr(t, te.stdout, done)
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	log := te.stderr.String()
	if !strings.Contains(log, "channel on") || !strings.Contains(log, "channel=email") || strings.Contains(log, "channel email is off") {
		t.Errorf("start-up log does not say e-mail is on:\n%s", log)
	}
	if strings.Contains(log, "geheim-wachtwoord") {
		t.Error("the SMTP password reached the log")
	}
}
