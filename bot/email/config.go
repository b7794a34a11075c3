package email

import (
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"strconv"
	"time"
)

// Channel is the name of this channel in the outbox and the dossier.
const Channel = "email"

// DefaultTimeout bounds connecting to the SMTP server and one send.
const DefaultTimeout = 15 * time.Second

// Config is the SMTP server and the sender address.
type Config struct {
	Host string
	Port int
	// SSL: implicit TLS from the first byte (smtps://, usually port 465).
	// Without it STARTTLS is used whenever the server offers it.
	SSL      bool
	Username string // empty: no authentication
	Password string
	From     string // EMAIL_FROM, e.g. "Incassobureau <dossiers@example.nl>"
	Timeout  time.Duration
}

// ParseURL reads SMTP_URL (smtp://user:pass@host:port or
// smtps://user:pass@host:port) and EMAIL_FROM. Errors never repeat the
// password.
func ParseURL(raw, from string) (Config, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return Config{}, errors.New("SMTP_URL: want smtp://user:pass@host:port or smtps://user:pass@host:port")
	}
	cfg := Config{Host: u.Hostname(), From: from, Timeout: DefaultTimeout}
	switch u.Scheme {
	case "smtp":
		cfg.Port = 587
	case "smtps":
		cfg.SSL, cfg.Port = true, 465
	default:
		return Config{}, fmt.Errorf("SMTP_URL: scheme %q: want smtp or smtps", u.Scheme)
	}
	if cfg.Host == "" {
		return Config{}, errors.New("SMTP_URL: the host is missing")
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return Config{}, fmt.Errorf("SMTP_URL: port %q is not a port number", p)
		}
		cfg.Port = n
	}
	if u.User != nil {
		cfg.Username = u.User.Username()
		cfg.Password, _ = u.User.Password()
	}
	if from == "" {
		return Config{}, errors.New("EMAIL_FROM: required with SMTP_URL, e.g. Incassobureau <dossiers@example.nl>")
	}
	if _, err := mail.ParseAddress(from); err != nil {
		return Config{}, fmt.Errorf("EMAIL_FROM %q: not an e-mail address", from)
	}
	return cfg, nil
}
