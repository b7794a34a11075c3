package console

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/incassobot/incassobot/casestore"
)

// Media evidence: the photos and PDFs debtors sent (a receipt, a letter),
// listed on the chat page and served to signed-in collectors only. The
// store accepts only JPEG, PNG and PDF whose bytes match their type, and
// each answer below says so again (stored type, nosniff, a policy that
// runs nothing), so a file can never act as a page of the console.

// mediaFile is one file as the chat page lists it.
type mediaFile struct {
	ID    int64  `json:"id"`
	URL   string `json:"url"`
	Type  string `json:"type"` // "JPEG-foto", "PDF-document"
	Size  string `json:"size"` // "1,2 MB"
	When  string `json:"when"`
	Image bool   `json:"image"` // shown as a thumbnail
}

// mediaKinds names each stored type for a collector, with the file
// extension a download gets.
var mediaKinds = map[string]struct{ label, ext string }{
	"image/jpeg":      {"JPEG-foto", "jpg"},
	"image/png":       {"PNG-afbeelding", "png"},
	"application/pdf": {"PDF-document", "pdf"},
}

// loadMedia fills the chat page's list of the case's files.
func (c *Console) loadMedia(ctx context.Context, data *chatData) error {
	if data.H.CaseID == 0 {
		return nil
	}
	var err error
	data.Media, err = c.mediaList(ctx, data.H.CaseID)
	return err
}

// mediaList is a case's files, oldest first.
func (c *Console) mediaList(ctx context.Context, caseID int64) ([]mediaFile, error) {
	ms, err := c.d.Store.MediaOf(ctx, caseID)
	if err != nil {
		return nil, err
	}
	out := make([]mediaFile, 0, len(ms))
	for _, m := range ms {
		out = append(out, mediaFile{ID: m.ID, URL: "/console/media/" + strconv.FormatInt(m.ID, 10),
			Type: mediaKinds[m.ContentType].label, Size: fileSize(m.Size), When: datetime(m.CreatedAt),
			Image: strings.HasPrefix(m.ContentType, "image/")})
	}
	return out, nil
}

// fileSize writes a size the Dutch way: "812 B", "45 kB", "1,2 MB".
func fileSize(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 1000*1000:
		return fmt.Sprintf("%d kB", (n+500)/1000)
	}
	tenths := (n + 50*1000) / (100 * 1000)
	return fmt.Sprintf("%d,%d MB", tenths/10, tenths%10)
}

// mediaPolicy lets a served file run and load nothing, and be framed by
// no page: an image still shows, a PDF is downloaded.
const mediaPolicy = "default-src 'none'; frame-ancestors 'none'; sandbox"

// media serves one stored file to a signed-in collector (any case's:
// collectors work every case). Unknown ids are 404.
func (c *Console) media(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		http.NotFound(w, r)
		return
	}
	m, err := c.d.Store.Media(r.Context(), id)
	if err != nil {
		c.fail(w, r, err, "het bestand openen")
		return
	}
	kind, ok := mediaKinds[m.ContentType]
	if !ok || !slices.Contains(casestore.MediaTypes, m.ContentType) {
		// The store keeps no other type; if one ever appears, it is not
		// served as what it claims to be.
		c.d.Log.Warn("console: stored file of an unknown type", "media", m.ID)
		http.NotFound(w, r)
		return
	}
	disposition := "attachment"
	if strings.HasPrefix(m.ContentType, "image/") {
		disposition = "inline"
	}
	h := w.Header()
	h.Set("Content-Type", m.ContentType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", mediaPolicy)
	h.Set("Content-Disposition", fmt.Sprintf(`%s; filename="bewijs-%d.%s"`, disposition, m.ID, kind.ext))
	h.Set("Content-Length", strconv.Itoa(len(m.Data)))
	h.Set("Cache-Control", "private, no-store")
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(m.Data)
	}
}
