package main

import (
	"errors"
	"fmt"
	"github.com/incassobot/incassobot/dialogs"
	"log/slog"
	"net"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/incassobot/incassobot/bot/clientip"
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
	AgencyName         string // AGENCY_NAME: heads the web chat and the printable dossier export; "incassobot" when empty
	PprofAddr          string // PPROF_ADDR: net/http/pprof on this loopback address; empty = off
	// AGENCY_ADDRESS, AGENCY_KVK, AGENCY_WKI: the agency's address and
	// registrations, on the letterhead of the dossier export.
	AgencyAddress, AgencyKvK, AgencyWKI string
	// MetricsAddr (METRICS_ADDR) serves /metrics on a listener of its own
	// instead of ADDR; MetricsToken (METRICS_TOKEN) is the bearer token
	// /metrics on ADDR asks for. Neither: /metrics on ADDR for this host only.
	MetricsAddr, MetricsToken string
	// Office (OFFICE_HOURS, OFFICE_HOLIDAYS) is when collectors answer:
	// what a debtor asking for a person is told.
	Office casestore.OfficeHours
	// ClaimLease (CLAIM_LEASE) is how long a collector's claim holds a
	// chat without a reply before it returns to the queue; 0 = the
	// console's default.
	ClaimLease time.Duration
	Channels   channelConfig // PUBLIC_URL, TWILIO_*, TELEGRAM_*, QUIET_HOURS, OUTBOX_RATE_*, OUTBOX_LEASE
	// TrustedProxies (TRUSTED_PROXIES) are the load balancers whose
	// X-Forwarded-For names the client that limits count against.
	TrustedProxies clientip.Trusted

	// AgencyContact (AGENCY_CONTACT): the public phone, website or e-mail
	// the bot names when a debtor asks whether we are real.
	AgencyContact string
	// AgencyIBAN and AgencyAccountHolder (AGENCY_IBAN,
	// AGENCY_ACCOUNT_HOLDER): the account debtors transfer to, named with
	// the case's payment reference; empty: a collector sends the details.
	AgencyIBAN, AgencyAccountHolder string
	// Complaints (COMPLAINT_TERM_DAYS, COMPLAINT_PROCEDURE,
	// COMPLAINT_BODY_NL, COMPLAINT_BODY_BE): the complaint procedure the
	// bot names, its answer term and the external body per country.
	Complaints dialogs.ComplaintPolicy
	// SpoolDir (SPOOL_DIR) holds the spool: messages received while the
	// store could not commit them, replayed when it answers again.
	SpoolDir string

	Payments paymentsConfig // STRIPE_* (payments_config.go)
	// Documents: DOCUMENT_LINK_KEY, AGENCY_IBAN, AGENCY_ACCOUNT_HOLDER,
	// EMAIL_INBOUND_SIGNING_KEY (documents_config.go).
	Documents documentsConfig
	Followup  followupConfig // FOLLOWUP_* (followup.go)
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
		MetricsAddr:        strings.TrimSpace(getenv("METRICS_ADDR")),
		// The token is compared as given: trimming would silently accept another.
		MetricsToken: getenv("METRICS_TOKEN"),
		SpoolDir:     strings.TrimSpace(getenv("SPOOL_DIR")),
	}
	if c.SpoolDir == "" {
		// Beside the SQLite file; ./spool with PostgreSQL.
		c.SpoolDir = "spool"
		if c.DatabaseURL == "" {
			c.SpoolDir = filepath.Join(filepath.Dir(c.DBPath), "spool")
		}
	}
	c.AgencyAddress, c.AgencyKvK, c.AgencyWKI = strings.TrimSpace(getenv("AGENCY_ADDRESS")),
		strings.TrimSpace(getenv("AGENCY_KVK")), strings.TrimSpace(getenv("AGENCY_WKI"))
	c.AgencyContact = strings.TrimSpace(getenv("AGENCY_CONTACT"))
	c.AgencyIBAN = strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(getenv("AGENCY_IBAN")), " ", ""))
	c.AgencyAccountHolder = strings.TrimSpace(getenv("AGENCY_ACCOUNT_HOLDER"))
	c.Complaints = dialogs.ComplaintPolicy{Procedure: strings.TrimSpace(getenv("COMPLAINT_PROCEDURE")),
		BodyNL: strings.TrimSpace(getenv("COMPLAINT_BODY_NL")), BodyBE: strings.TrimSpace(getenv("COMPLAINT_BODY_BE"))}
	var errs []error
	if c.AgencyIBAN != "" && !dialogs.ValidIBAN(c.AgencyIBAN) {
		errs = append(errs, fmt.Errorf("AGENCY_IBAN %q: not a valid IBAN (length or mod-97 check)", c.AgencyIBAN))
	}
	if s := strings.TrimSpace(getenv("COMPLAINT_TERM_DAYS")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 90 {
			errs = append(errs, fmt.Errorf("COMPLAINT_TERM_DAYS %q: want working days from 1 to 90", s))
		}
		c.Complaints.TermDays = n
	}
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
	if c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			errs = append(errs, fmt.Errorf("METRICS_ADDR %q: want host:port, e.g. 127.0.0.1:9090", c.MetricsAddr))
		}
	}
	if c.MetricsToken != "" && len(c.MetricsToken) < 16 {
		errs = append(errs, errors.New("METRICS_TOKEN: want at least 16 characters of random (e.g. openssl rand -hex 16)"))
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
	if t, err := clientip.Parse(getenv("TRUSTED_PROXIES")); err != nil {
		errs = append(errs, fmt.Errorf("TRUSTED_PROXIES: %w; want comma-separated CIDRs, e.g. 10.0.0.0/8", err))
	} else {
		c.TrustedProxies = t
	}
	var chErrs []error
	c.Channels, chErrs = loadChannels(getenv)
	errs = append(errs, chErrs...)
	c.Payments, chErrs = loadPayments(getenv, c.Channels.PublicURL)
	errs = append(errs, chErrs...)
	c.Documents, chErrs = loadDocuments(getenv, c.Channels.PublicURL, or(c.AgencyName, "incassobot"))
	errs = append(errs, chErrs...)
	c.Followup, chErrs = loadFollowup(getenv)
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

// agency is who the bot says we are: the public facts, the bank account
// and the complaint procedure.
func (c config) agency() dialogs.Agency {
	return dialogs.Agency{Name: c.AgencyName, Contact: c.AgencyContact, IBAN: c.AgencyIBAN,
		AccountHolder: c.AgencyAccountHolder, Complaints: c.Complaints}
}
