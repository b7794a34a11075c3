package debtordocs

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/api"
)

var _ bot.Attacher = (*Service)(nil)

// Attachments makes the documents an e-mail of case caseID names:
// bot.AttachSpecification (made now, with today's balance) and
// bot.AttachInvoice(id) (the creditor's copy as stored). An unknown name
// or an invoice without a copy is an error: the message promised it.
func (s *Service) Attachments(ctx context.Context, caseID int64, names []string) ([]bot.Attachment, error) {
	c, err := s.Store.Case(ctx, caseID)
	if err != nil {
		return nil, err
	}
	out := make([]bot.Attachment, 0, len(names))
	for _, name := range names {
		if name == bot.AttachSpecification {
			pdf, err := Specification(c, s.Agency, s.Bank, s.now())
			if err != nil {
				return nil, err
			}
			out = append(out, bot.Attachment{Name: "specificatie-" + api.FileSafe(c.Ref) + ".pdf", ContentType: "application/pdf", Data: pdf})
			continue
		}
		idText, ok := strings.CutPrefix(name, "invoice:")
		id, err := strconv.ParseInt(idText, 10, 64)
		if !ok || err != nil {
			return nil, fmt.Errorf("attachment %q: not a document name", name)
		}
		m, err := s.invoiceDocument(ctx, c, id)
		if err != nil {
			return nil, fmt.Errorf("attachment %q: %w", name, err)
		}
		number := ""
		for _, inv := range c.Invoices {
			if inv.ID == id {
				number = inv.Number
			}
		}
		out = append(out, bot.Attachment{Name: "factuur-" + api.FileSafe(number) + extension(m.ContentType), ContentType: m.ContentType, Data: m.Data})
	}
	return out, nil
}

func extension(contentType string) string {
	switch contentType {
	case "application/pdf":
		return ".pdf"
	case "image/jpeg":
		return ".jpg"
	case "image/png":
		return ".png"
	}
	return ""
}
