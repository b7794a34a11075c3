// Package mediafile serves and names the evidence files debtors sent
// (photos, PDFs) for the console, the creditor portal and the API alike,
// so that how a stored file reaches a browser is decided in one place.
//
// The store keeps only JPEG, PNG and PDF whose bytes match their type;
// each answer says so again (stored type, nosniff, a policy that runs
// nothing), so a file can never act as a page of this site.
package mediafile

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/incassobot/incassobot/casestore"
)

// kinds names each stored type with the extension a download gets.
var kinds = map[string]struct{ label, ext string }{
	"image/jpeg":      {"JPEG-foto", "jpg"},
	"image/png":       {"PNG-afbeelding", "png"},
	"application/pdf": {"PDF-document", "pdf"},
}

// Label is a stored type as a person reads it ("PDF-document"); an
// unknown type is shown as stored.
func Label(contentType string) string {
	if k, ok := kinds[contentType]; ok {
		return k.label
	}
	return contentType
}

// IsImage says whether the file shows as a picture (inline, a thumbnail).
func IsImage(contentType string) bool { return strings.HasPrefix(contentType, "image/") }

// Size writes a file size the Dutch way: "812 B", "45 kB", "1,2 MB".
func Size(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 1000*1000:
		return fmt.Sprintf("%d kB", (n+500)/1000)
	}
	tenths := (n + 50*1000) / (100 * 1000)
	return fmt.Sprintf("%d,%d MB", tenths/10, tenths%10)
}

// policy lets a served file run and load nothing, and be framed by no
// page: an image still shows, a PDF is downloaded.
const policy = "default-src 'none'; frame-ancestors 'none'; sandbox"

// Serve writes file m (with its Data) as a download, an image inline. It
// writes nothing and returns false for a type the store should never have
// kept; the caller answers that as not found.
func Serve(w http.ResponseWriter, r *http.Request, m *casestore.Media) bool {
	kind, ok := kinds[m.ContentType]
	if !ok || !slices.Contains(casestore.MediaTypes, m.ContentType) {
		return false
	}
	disposition := "attachment"
	if IsImage(m.ContentType) {
		disposition = "inline"
	}
	h := w.Header()
	h.Set("Content-Type", m.ContentType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", policy)
	h.Set("Content-Disposition", fmt.Sprintf(`%s; filename="bewijs-%d.%s"`, disposition, m.ID, kind.ext))
	h.Set("Content-Length", strconv.Itoa(len(m.Data)))
	h.Set("Cache-Control", "private, no-store")
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(m.Data)
	}
	return true
}
