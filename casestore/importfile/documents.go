package importfile

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/incassobot/incassobot/casestore"
)

// Document is the creditor's copy of one invoice (a PDF or a scan) that an
// import delivers: a path relative to the import file's folder (the CSV
// column invoice_document, the JSON key document) or the bytes themselves
// (the JSON key document_base64). It is stored as a file of the case, like
// the evidence debtors send, and the invoice names it.
type Document struct {
	Invoice     string // the invoice's number
	Line        int    // where it was named, for messages
	Path        string // relative, slash-separated; "" when Data came inline
	Data        []byte
	ContentType string // sniffed from Data: one of casestore.MediaTypes
}

// documentSource reads the document fields of one invoice: a path, or
// base64 bytes, checked now as far as they can be without the files.
func documentSource(number, rawPath, b64 string, errs *rowErrors) *Document {
	rawPath, b64 = strings.TrimSpace(rawPath), strings.TrimSpace(b64)
	switch {
	case rawPath == "" && b64 == "":
		return nil
	case rawPath != "" && b64 != "":
		errs.add("invoice %s: give the document as a path or as base64, not both", number)
		return nil
	case b64 != "":
		data, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			errs.add("invoice %s: document_base64 is not base64", number)
			return nil
		}
		d := &Document{Invoice: number, Data: data}
		if reason := d.check(); reason != "" {
			errs.add("invoice %s: document %s", number, reason)
			return nil
		}
		return d
	}
	p := strings.ReplaceAll(rawPath, `\`, "/")
	if !fs.ValidPath(p) || path.IsAbs(p) {
		// The path is the creditor's text: a file outside the import's
		// folder (/etc/…, ../…) is never read.
		errs.add("invoice_document %q: give a path inside the import file's folder, without .. or a leading /", cut(rawPath, 80))
		return nil
	}
	return &Document{Invoice: number, Path: p}
}

// check validates the bytes as a file the store keeps: PDF, JPEG or PNG
// by their first bytes, not empty, not too large. "" when fine.
func (d *Document) check() string {
	switch {
	case len(d.Data) == 0:
		return "is empty"
	case len(d.Data) > casestore.MaxMediaBytes:
		return fmt.Sprintf("is larger than %d MiB", casestore.MaxMediaBytes>>20)
	}
	d.ContentType = casestore.SniffMediaType(d.Data)
	if d.ContentType == "" {
		return "is not a PDF, JPEG or PNG file"
	}
	return ""
}

func cut(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// LoadDocuments reads the documents the records name by path from dir
// (the import file's folder; fs.FS keeps every read inside it). A case
// whose document cannot be read or is no PDF, JPEG or PNG becomes a
// Problem on the line that named it, with the reason, and is not imported;
// the others keep their bytes in Documents.
func (res *Result) LoadDocuments(dir fs.FS) {
	kept := res.Records[:0]
	for _, rec := range res.Records {
		if bad := loadDocuments(dir, &rec); len(bad) > 0 {
			res.Problems = append(res.Problems, bad...)
			continue
		}
		kept = append(kept, rec)
	}
	res.Records = kept
	sort.SliceStable(res.Problems, func(i, j int) bool { return res.Problems[i].Line < res.Problems[j].Line })
}

// loadDocuments reads the documents rec names by path from dir and
// returns why any cannot be used (then rec is not to be imported).
func loadDocuments(dir fs.FS, rec *Record) []Problem {
	var bad []Problem
	for i := range rec.Documents {
		d := &rec.Documents[i]
		if d.Path == "" {
			continue
		}
		data, err := readLimited(dir, d.Path)
		reason := ""
		switch {
		case errors.Is(err, fs.ErrNotExist):
			reason = "not found"
		case errors.Is(err, errTooLarge):
			reason = fmt.Sprintf("is larger than %d MiB", casestore.MaxMediaBytes>>20)
		case err != nil:
			reason = "cannot be read"
		default:
			d.Data = data
			reason = d.check()
		}
		if reason != "" {
			bad = append(bad, Problem{Line: d.Line, Reason: fmt.Sprintf("invoice_document %q (invoice %s) %s", cut(d.Path, 80), d.Invoice, reason)})
		}
	}
	return bad
}

var errTooLarge = errors.New("too large")

func readLimited(dir fs.FS, name string) ([]byte, error) {
	if info, err := fs.Stat(dir, name); err != nil {
		return nil, err
	} else if info.IsDir() {
		return nil, errors.New("a folder")
	} else if info.Size() > casestore.MaxMediaBytes {
		return nil, errTooLarge
	}
	return fs.ReadFile(dir, name)
}
