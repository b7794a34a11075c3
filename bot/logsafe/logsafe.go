// Package logsafe keeps debtors' personal data out of the logs at every
// level: a slog.Handler that masks phone numbers in any value (errors
// from providers quote the number they refused) and drops the values of
// attributes that carry message text. Debtor text is data for the
// dossier, never for a log file.
package logsafe

import (
	"context"
	"log/slog"
	"regexp"
	"strings"
)

// textKeys are attribute keys whose values are a debtor's (or a
// collector's) words.
var textKeys = map[string]bool{"text": true, "body": true, "content": true, "reply": true}

// phone matches an E.164 number or a national one ("+31 6 1234 5678",
// "0612345678", "whatsapp:+3161…"), not a dossier number or an id.
var phone = regexp.MustCompile(`(?:\+|\b0)\d[\d ]{6,}\d`)

// Mask replaces every phone number in s by "[phone]".
func Mask(s string) string {
	if !strings.ContainsAny(s, "0123456789") {
		return s
	}
	return phone.ReplaceAllString(s, "[phone]")
}

// Handler wraps another handler and cleans every record on its way.
type Handler struct{ next slog.Handler }

// New returns h with the cleaning in front.
func New(h slog.Handler) *Handler { return &Handler{next: h} }

func (h *Handler) Enabled(ctx context.Context, l slog.Level) bool { return h.next.Enabled(ctx, l) }

func (h *Handler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, Mask(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(clean(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

func (h *Handler) WithAttrs(as []slog.Attr) slog.Handler {
	cleaned := make([]slog.Attr, len(as))
	for i, a := range as {
		cleaned[i] = clean(a)
	}
	return &Handler{next: h.next.WithAttrs(cleaned)}
}

func (h *Handler) WithGroup(name string) slog.Handler { return &Handler{next: h.next.WithGroup(name)} }

// clean masks one attribute (and a group's members).
func clean(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	if textKeys[strings.ToLower(a.Key)] {
		return slog.String(a.Key, "[redacted]")
	}
	switch v.Kind() {
	case slog.KindGroup:
		members := v.Group()
		out := make([]any, len(members))
		for i, m := range members {
			out[i] = clean(m)
		}
		return slog.Group(a.Key, out...)
	case slog.KindString:
		return slog.String(a.Key, Mask(v.String()))
	case slog.KindAny:
		if err, ok := v.Any().(error); ok {
			return slog.String(a.Key, Mask(err.Error()))
		}
		if s, ok := v.Any().(interface{ String() string }); ok {
			return slog.String(a.Key, Mask(s.String()))
		}
	}
	return slog.Attr{Key: a.Key, Value: v}
}
