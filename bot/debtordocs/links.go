package debtordocs

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/incassobot/incassobot/bot/api"
	"github.com/incassobot/incassobot/bot/internal/casepdf"
	"github.com/incassobot/incassobot/bot/internal/mediafile"
	"github.com/incassobot/incassobot/casestore"
)

// DefaultTTL is how long a document link works: long enough to open it
// later that week, short enough that an old message does not open a
// stranger's dossier.
const DefaultTTL = 7 * 24 * time.Hour

// MinKeyLen is the shortest key that signs links.
const MinKeyLen = 32

// Service signs links to a case's documents, serves them, and attaches
// them to e-mail.
type Service struct {
	Store     casestore.Store
	Key       []byte // DOCUMENT_LINK_KEY; at least MinKeyLen bytes
	PublicURL string // e.g. https://bot.example.nl
	TTL       time.Duration
	Agency    casepdf.Agency
	Bank      Bank
	Now       func() time.Time
	Log       *slog.Logger
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Service) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

func (s *Service) ttl() time.Duration {
	if s.TTL > 0 {
		return s.TTL
	}
	return DefaultTTL
}

// Documents are named in links and signatures by these.
const (
	specification = "specificatie.pdf"
	invoicePrefix = "factuur/"
)

// sign is the link's signature over the dossier number, the document and
// the expiry.
func (s *Service) sign(ref, doc string, exp int64) string {
	m := hmac.New(sha256.New, s.Key)
	fmt.Fprintf(m, "document\x00%s\x00%s\x00%d", strings.ToUpper(ref), doc, exp)
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:18])
}

func (s *Service) link(ref, doc string) string {
	exp := s.now().Add(s.ttl()).Unix()
	return s.PublicURL + "/documenten/" + url.PathEscape(ref) + "/" + doc +
		"?v=" + strconv.FormatInt(exp, 10) + "&k=" + s.sign(ref, doc, exp)
}

// SpecificationURL is a signed link, valid for the TTL from now, to case
// c's specification as a PDF (made when it is opened, so it shows the
// balance of that day).
func (s *Service) SpecificationURL(c *casestore.Case) string {
	return s.link(c.Ref, specification)
}

// InvoiceDocumentURL is a signed link to the creditor's copy of invoice
// inv of case c, or "" when the creditor delivered none.
func (s *Service) InvoiceDocumentURL(c *casestore.Case, inv casestore.Invoice) string {
	if inv.DocumentID == 0 {
		return ""
	}
	return s.link(c.Ref, invoicePrefix+strconv.FormatInt(inv.ID, 10))
}

// Handler serves GET /documenten/{ref}/specificatie.pdf and
// GET /documenten/{ref}/factuur/{invoice} for a valid, unexpired link.
func (s *Service) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /documenten/{ref}/specificatie.pdf", func(w http.ResponseWriter, r *http.Request) {
		c, ok := s.open(w, r, specification)
		if !ok {
			return
		}
		pdf, err := Specification(c, s.Agency, s.Bank, s.now())
		if err != nil {
			s.log().Error("documents: write the specification", "case", c.Ref, "err", err)
			page(w, http.StatusInternalServerError, pageBusy)
			return
		}
		h := w.Header()
		h.Set("Content-Type", "application/pdf")
		h.Set("Content-Disposition", `inline; filename="specificatie-`+api.FileSafe(c.Ref)+`.pdf"`)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cache-Control", "private, no-store")
		_, _ = w.Write(pdf)
	})
	mux.HandleFunc("GET /documenten/{ref}/factuur/{invoice}", func(w http.ResponseWriter, r *http.Request) {
		c, ok := s.open(w, r, invoicePrefix+r.PathValue("invoice"))
		if !ok {
			return
		}
		id, _ := strconv.ParseInt(r.PathValue("invoice"), 10, 64)
		m, err := s.invoiceDocument(r.Context(), c, id)
		if err != nil {
			if !errors.Is(err, casestore.ErrNotFound) {
				s.log().Error("documents: read an invoice copy", "case", c.Ref, "err", err)
				page(w, http.StatusServiceUnavailable, pageBusy)
				return
			}
			page(w, http.StatusNotFound, pageInvalid)
			return
		}
		if !mediafile.Serve(w, r, m) {
			page(w, http.StatusNotFound, pageInvalid)
		}
	})
	return mux
}

// open checks the link of document doc and loads its case; it answers
// the request itself when it fails.
func (s *Service) open(w http.ResponseWriter, r *http.Request, doc string) (*casestore.Case, bool) {
	ref := r.PathValue("ref")
	q := r.URL.Query()
	exp, err := strconv.ParseInt(q.Get("v"), 10, 64)
	if err != nil || len(s.Key) < MinKeyLen || !hmac.Equal([]byte(s.sign(ref, doc, exp)), []byte(q.Get("k"))) {
		page(w, http.StatusNotFound, pageInvalid)
		return nil, false
	}
	if !s.now().Before(time.Unix(exp, 0)) {
		page(w, http.StatusGone, pageExpired)
		return nil, false
	}
	c, err := s.Store.CaseByRef(r.Context(), ref)
	if errors.Is(err, casestore.ErrNotFound) {
		page(w, http.StatusNotFound, pageInvalid)
		return nil, false
	}
	if err != nil {
		s.log().Error("documents: read case", "err", err)
		page(w, http.StatusServiceUnavailable, pageBusy)
		return nil, false
	}
	return c, true
}

// invoiceDocument is the stored copy of invoice id of case c.
func (s *Service) invoiceDocument(ctx context.Context, c *casestore.Case, id int64) (*casestore.Media, error) {
	for _, inv := range c.Invoices {
		if inv.ID == id && inv.DocumentID != 0 {
			m, err := s.Store.Media(ctx, inv.DocumentID)
			if err == nil && m.CaseID != c.ID {
				return nil, casestore.ErrNotFound
			}
			return m, err
		}
	}
	return nil, casestore.ErrNotFound
}

// A page is what a person who opened a link that does not work reads:
// Dutch first, then English and French.
type pageText struct{ Title, NL, EN, FR string }

var (
	pageInvalid = pageText{"Link ongeldig", "Deze link is niet geldig. Vraag in de chat of per e-mail om een nieuwe.",
		"This link is not valid. Ask for a new one in the chat or by e-mail.", "Ce lien n'est pas valable. Demandez-en un nouveau dans le chat ou par e-mail."}
	pageExpired = pageText{"Link verlopen", "Deze link is verlopen. Vraag in de chat of per e-mail om een nieuwe.",
		"This link has expired. Ask for a new one in the chat or by e-mail.", "Ce lien a expiré. Demandez-en un nouveau dans le chat ou par e-mail."}
	pageBusy = pageText{"Even niet beschikbaar", "Het document kan nu niet worden geopend. Probeer het over een paar minuten opnieuw.",
		"The document cannot be opened right now. Please try again in a few minutes.", "Le document ne peut pas être ouvert pour le moment. Réessayez dans quelques minutes."}
)

var pageTmpl = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>{{.Title}}</title></head>
<body style="font-family: sans-serif; max-width: 36rem; margin: 2rem auto; padding: 0 1rem">
<h1>{{.Title}}</h1><p>{{.NL}}</p><p lang="en">{{.EN}}</p><p lang="fr">{{.FR}}</p></body></html>
`))

func page(w http.ResponseWriter, status int, p pageText) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
	h.Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	_ = pageTmpl.Execute(w, p)
}
