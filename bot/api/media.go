package api

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/incassobot/incassobot/casestore"
)

// Evidence files (photos, PDFs) as a creditor downloads them, from the API
// and from the creditor pages alike. The store keeps only JPEG, PNG and
// PDF whose bytes match their type; each answer says so again (stored
// type, nosniff, a policy that runs nothing), so a file can never act as a
// page of this site.

// mediaKinds names each stored type with the extension a download gets.
var mediaKinds = map[string]struct{ Label, Ext string }{
	"image/jpeg":      {"JPEG-foto", "jpg"},
	"image/png":       {"PNG-afbeelding", "png"},
	"application/pdf": {"PDF-document", "pdf"},
}

// MediaLabel is a stored type as a person reads it ("PDF-document").
func MediaLabel(contentType string) string {
	if k, ok := mediaKinds[contentType]; ok {
		return k.Label
	}
	return contentType
}

// mediaPolicy lets a served file run and load nothing, and be framed by
// no page: an image still shows, a PDF is downloaded.
const mediaPolicy = "default-src 'none'; frame-ancestors 'none'; sandbox"

// ServeMedia writes file m (with its Data) as a download, an image
// inline. It writes nothing and returns false for a type the store should
// never have kept.
func ServeMedia(w http.ResponseWriter, r *http.Request, m *casestore.Media) bool {
	kind, ok := mediaKinds[m.ContentType]
	if !ok || !slices.Contains(casestore.MediaTypes, m.ContentType) {
		return false
	}
	disposition := "attachment"
	if strings.HasPrefix(m.ContentType, "image/") {
		disposition = "inline"
	}
	h := w.Header()
	h.Set("Content-Type", m.ContentType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", mediaPolicy)
	h.Set("Content-Disposition", fmt.Sprintf(`%s; filename="bewijs-%d.%s"`, disposition, m.ID, kind.Ext))
	h.Set("Content-Length", strconv.Itoa(len(m.Data)))
	h.Set("Cache-Control", "private, no-store")
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(m.Data)
	}
	return true
}
