package email

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	netmail "net/mail"
	"strings"

	"github.com/incassobot/incassobot/bot"
	mail "github.com/wneessen/go-mail"
)

// Client sends the outbox's messages over SMTP. It is safe for concurrent
// use: every send opens its own connection, so one slow server call holds
// back only its own message.
type Client struct {
	cfg Config
}

// NewClient checks cfg (as ParseURL builds it).
func NewClient(cfg Config) (*Client, error) {
	if cfg.Host == "" || cfg.Port == 0 {
		return nil, errors.New("email: the SMTP host and port are required")
	}
	if _, err := netmail.ParseAddress(cfg.From); err != nil {
		return nil, fmt.Errorf("email: sender %q is not an e-mail address", cfg.From)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	return &Client{cfg: cfg}, nil
}

// Subject is the Dutch subject line of a message about case ref (the
// dossier number the debtor quotes back); without a case a general one.
func Subject(ref string) string {
	if ref == "" {
		return "Bericht over uw dossier"
	}
	return "Uw dossier " + ref
}

// Send delivers m to the address m.To as a plain-text e-mail (what the bot
// relays is never read as HTML) and returns its Message-ID. Options, which
// other channels show as buttons, are listed under the text. A malformed
// address is refused for good; a refusal the server calls temporary and
// any connection trouble are retried by the outbox.
func (c *Client) Send(ctx context.Context, m bot.Outgoing) (string, error) {
	to, err := netmail.ParseAddress(m.To)
	if err != nil {
		return "", &bot.SendError{Err: errors.New("email: the recipient is not an e-mail address")}
	}
	if strings.TrimSpace(m.Text) == "" {
		return "", &bot.SendError{Err: errors.New("email: empty message")}
	}
	msg := mail.NewMsg()
	if err := msg.From(c.cfg.From); err != nil {
		return "", &bot.SendError{Err: fmt.Errorf("email: sender: %w", err)}
	}
	if err := msg.To(to.Address); err != nil {
		return "", &bot.SendError{Err: errors.New("email: the recipient is not an e-mail address")}
	}
	msg.Subject(Subject(m.CaseRef))
	msg.SetDate()
	msg.SetMessageID()
	msg.SetBodyString(mail.TypeTextPlain, body(m))
	for _, a := range m.Attachments {
		if err := msg.AttachReader(a.Name, bytes.NewReader(a.Data), mail.WithFileContentType(mail.ContentType(a.ContentType))); err != nil {
			return "", &bot.SendError{Err: fmt.Errorf("email: attach %s: %w", a.Name, err)}
		}
	}

	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	client, err := mail.NewClient(c.cfg.Host, c.options()...)
	if err != nil {
		return "", &bot.SendError{Err: fmt.Errorf("email: %w", err)}
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		return "", &bot.SendError{Err: fmt.Errorf("email: %w", err), Temporary: temporary(err)}
	}
	return msg.GetMessageID(), nil
}

func (c *Client) options() []mail.Option {
	opts := []mail.Option{mail.WithPort(c.cfg.Port), mail.WithTimeout(c.cfg.Timeout)}
	if c.cfg.SSL {
		opts = append(opts, mail.WithSSL())
	} else {
		opts = append(opts, mail.WithTLSPolicy(mail.TLSOpportunistic))
	}
	if c.cfg.Username != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover),
			mail.WithUsername(c.cfg.Username), mail.WithPassword(c.cfg.Password))
	}
	return opts
}

// body is the text with the options, if any, listed under it.
func body(m bot.Outgoing) string {
	if len(m.Options) == 0 {
		return m.Text
	}
	var b strings.Builder
	b.WriteString(m.Text)
	b.WriteString("\n")
	for _, o := range m.Options {
		if o != "" {
			b.WriteString("\n- " + o)
		}
	}
	return b.String()
}

// temporary: a server's 4xx refusal or any trouble before the server said
// no (connecting, TLS, a timeout) may pass; a 5xx refusal will not.
func temporary(err error) bool {
	var se *mail.SendError
	if errors.As(err, &se) {
		if se.Reason == mail.ErrSMTPMailFrom || se.Reason == mail.ErrSMTPRcptTo || se.Reason == mail.ErrSMTPData || se.Reason == mail.ErrSMTPDataClose {
			return se.IsTemp()
		}
	}
	return true
}
