package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/incassobot/incassobot/bot/followup"
	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/casestore/postgres"
	"github.com/incassobot/incassobot/casestore/sqlite"
)

// followupConfig is the follow-ups: FOLLOWUP_* (and QUIET_HOURS, shared
// with the outbox).
type followupConfig struct {
	WeeklyCap int               // FOLLOWUP_WEEKLY_CAP: automated messages per debtor per 7 days
	Policies  followup.Policies // FOLLOWUP_POLICY: per creditor code (JSON)
	Channel   string            // FOLLOWUP_CHANNEL: sms or whatsapp for a debtor who never wrote
	Off       bool              // FOLLOWUP=off: serve runs no follow-ups
	// StuckAfter (FOLLOWUP_STUCK_AFTER): a job still running after it
	// belongs to a dead process and is given back; 0: the engine's default.
	StuckAfter time.Duration
	// Workers (FOLLOWUP_WORKERS): follow-up jobs run at once; 0: the
	// engine's default.
	Workers int
}

func loadFollowup(getenv func(string) string) (followupConfig, []error) {
	c := followupConfig{WeeklyCap: followup.DefaultRules.WeeklyCap, Channel: or(getenv("FOLLOWUP_CHANNEL"), "sms")}
	var errs []error
	if v := strings.TrimSpace(getenv("FOLLOWUP_WEEKLY_CAP")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			errs = append(errs, fmt.Errorf("FOLLOWUP_WEEKLY_CAP %q: want a whole number, 0 for no cap", v))
		}
		c.WeeklyCap = n
	}
	p, err := followup.ParsePolicies(getenv("FOLLOWUP_POLICY"))
	if err != nil {
		errs = append(errs, err)
	}
	c.Policies = p
	if c.Channel != "sms" && c.Channel != "whatsapp" {
		errs = append(errs, fmt.Errorf("FOLLOWUP_CHANNEL %q: want sms or whatsapp", c.Channel))
	}
	if v := strings.TrimSpace(getenv("FOLLOWUP_STUCK_AFTER")); v != "" {
		if d, err := time.ParseDuration(v); err != nil || d < 2*time.Second {
			errs = append(errs, fmt.Errorf("FOLLOWUP_STUCK_AFTER %q: want a duration of at least 2s, e.g. 1m", v))
		} else {
			c.StuckAfter = d
		}
	}
	if v := strings.TrimSpace(getenv("FOLLOWUP_WORKERS")); v != "" {
		if n, err := strconv.Atoi(v); err != nil || n < 1 || n > 10000 {
			errs = append(errs, fmt.Errorf("FOLLOWUP_WORKERS %q: want a whole number from 1 to 10000", v))
		} else {
			c.Workers = n
		}
	}
	switch v := strings.TrimSpace(getenv("FOLLOWUP")); v {
	case "", "on":
	case "off":
		c.Off = true
	default:
		errs = append(errs, fmt.Errorf("FOLLOWUP %q: want on or off", v))
	}
	return c, errs
}

// newFollowUps makes the follow-up engine on the configured store's
// database: River's PostgreSQL driver or its SQLite one.
func newFollowUps(e *env, cfg config, st casestore.Store, payLink func(*casestore.Case) string, wake func()) (*followup.Engine, error) {
	if o, ok := st.(*openedStore); ok {
		st = o.Store
	}
	fc := followup.Config{
		Rules:    followup.Rules{QuietFrom: cfg.Channels.QuietFrom, QuietTo: cfg.Channels.QuietTo, WeeklyCap: cfg.Followup.WeeklyCap},
		Policies: cfg.Followup.Policies,
		PayLink:  payLink,
		Channel:  cfg.Followup.Channel,
		Wake:     wake,
		Log:      e.log,
		Poll:     time.Second,

		StuckAfter: cfg.Followup.StuckAfter,
		Workers:    cfg.Followup.Workers,
	}
	if e.clock {
		fc.Now = e.now // an injected clock (tests): River runs on it too
	}
	switch s := st.(type) {
	case *postgres.Store:
		return followup.New(s, s.RiverDriver(), postgres.RiverTx, fc)
	case *sqlite.Store:
		return followup.New(s, s.RiverDriver(), sqlite.RiverTx, fc)
	}
	return nil, errors.New("follow-ups: unknown store")
}
