package main

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

// config is the process configuration, all from the environment.
type config struct {
	Addr        string // ADDR: where serve listens
	DatabaseURL string // DATABASE_URL: PostgreSQL; empty = embedded SQLite
	// MigrateDatabaseURL (MIGRATE_DATABASE_URL) is the schema owner's
	// connection, used only to migrate; DATABASE_URL is then the
	// application's role, which may read and write rows but not alter the
	// schema or the append-only triggers. Empty: DATABASE_URL migrates too.
	MigrateDatabaseURL string
	RedisURL           string // REDIS_URL: hot state; empty = in-process memory
	RedisPrefix        string // REDIS_PREFIX: key namespace, so deployments (and test runs) sharing a Redis never collide
	DBPath             string // INCASSOBOT_DB: the SQLite file when DATABASE_URL is empty
	LogLevel           slog.Level
	AgencyName         string // AGENCY_NAME: heads the printable dossier export; portal default when empty
	PprofAddr          string // PPROF_ADDR: net/http/pprof on this loopback address; empty = off
	// Office (OFFICE_HOURS, OFFICE_HOLIDAYS) is when collectors answer:
	// what a debtor asking for a person is told.
	Office casestore.OfficeHours
	// ClaimLease (CLAIM_LEASE) is how long a collector's claim holds a
	// chat without a reply before it returns to the queue; 0 = the
	// console's default.
	ClaimLease time.Duration
	Channels   channelConfig // PUBLIC_URL, TWILIO_*, TELEGRAM_*, QUIET_HOURS, OUTBOX_RATE_*, OUTBOX_LEASE
}

// loadConfig reads and checks every variable and reports every problem at
// once, so a misconfigured deployment is fixed in one round.
func loadConfig(getenv func(string) string) (config, error) {
	c := config{
		Addr:               or(getenv("ADDR"), "127.0.0.1:8080"),
		DatabaseURL:        strings.TrimSpace(getenv("DATABASE_URL")),
		MigrateDatabaseURL: strings.TrimSpace(getenv("MIGRATE_DATABASE_URL")),
		RedisURL:           strings.TrimSpace(getenv("REDIS_URL")),
		RedisPrefix:        or(getenv("REDIS_PREFIX"), "incassobot:"),
		DBPath:             or(getenv("INCASSOBOT_DB"), "./incassobot.db"),
		AgencyName:         strings.TrimSpace(getenv("AGENCY_NAME")),
		PprofAddr:          strings.TrimSpace(getenv("PPROF_ADDR")),
	}
	var errs []error
	if _, port, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("ADDR %q: want host:port, e.g. 127.0.0.1:8080", c.Addr))
	} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		errs = append(errs, fmt.Errorf("ADDR %q: port %q is not a number from 0 to 65535", c.Addr, port))
	}
	if c.DatabaseURL != "" {
		if u, err := url.Parse(c.DatabaseURL); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			errs = append(errs, errors.New("DATABASE_URL: want postgres://user@host:5432/db?sslmode=disable"))
		}
	}
	if c.MigrateDatabaseURL != "" {
		if u, err := url.Parse(c.MigrateDatabaseURL); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || c.DatabaseURL == "" {
			errs = append(errs, errors.New("MIGRATE_DATABASE_URL: want postgres://owner@host:5432/db?sslmode=disable, with DATABASE_URL set"))
		}
	}
	if c.RedisURL != "" {
		if u, err := url.Parse(c.RedisURL); err != nil || (u.Scheme != "redis" && u.Scheme != "rediss" && u.Scheme != "unix") {
			errs = append(errs, errors.New("REDIS_URL: want redis://host:6379/0"))
		}
	}
	if lv := getenv("LOG_LEVEL"); lv != "" {
		if err := c.LogLevel.UnmarshalText([]byte(lv)); err != nil {
			errs = append(errs, fmt.Errorf("LOG_LEVEL %q: want debug, info, warn or error", lv))
		}
	}
	if c.PprofAddr != "" {
		if err := checkPprofAddr(c.PprofAddr); err != nil {
			errs = append(errs, err)
		}
	}
	office, err := casestore.ParseOfficeHours(or(getenv("OFFICE_HOURS"), "mon-fri 09:00-17:00"), getenv("OFFICE_HOLIDAYS"))
	if err != nil {
		errs = append(errs, fmt.Errorf("OFFICE_HOURS/OFFICE_HOLIDAYS: %w", err))
	}
	c.Office = office
	if v := strings.TrimSpace(getenv("CLAIM_LEASE")); v != "" {
		// Below a second the expiry check could not keep up; in practice
		// minutes (the default is 15m), shorter only in tests.
		if d, err := time.ParseDuration(v); err != nil || d < time.Second {
			errs = append(errs, fmt.Errorf("CLAIM_LEASE %q: want a duration of at least 1s, e.g. 15m", v))
		} else {
			c.ClaimLease = d
		}
	}
	var chErrs []error
	c.Channels, chErrs = loadChannels(getenv)
	errs = append(errs, chErrs...)
	if len(errs) > 0 {
		return c, usageError{fmt.Errorf("configuration:\n  %w", joinIndented(errs))}
	}
	return c, nil
}

// config loads the configuration and applies the log level.
func (e *env) config() (config, error) {
	c, err := loadConfig(e.getenv)
	if err == nil {
		e.logLevel.Set(c.LogLevel)
	}
	return c, err
}

func or(s, def string) string {
	if s = strings.TrimSpace(s); s == "" {
		return def
	}
	return s
}

// joinIndented joins errors one per line, for the configuration report.
func joinIndented(errs []error) error {
	msgs := make([]string, len(errs))
	for i, err := range errs {
		msgs[i] = err.Error()
	}
	return errors.New(strings.Join(msgs, "\n  "))
}
