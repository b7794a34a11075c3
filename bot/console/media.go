package console

import (
	"context"
	"net/http"
	"strconv"

	"github.com/incassobot/incassobot/bot/internal/mediafile"
)

// Media evidence: the photos and PDFs debtors sent (a receipt, a letter),
// listed on the chat page and served to signed-in collectors only. The
// store accepts only JPEG, PNG and PDF whose bytes match their type, and
// each answer below says so again (stored type, nosniff, a policy that
// runs nothing: package mediafile), so a file can never act as a page of
// the console.

// mediaFile is one file as the chat page lists it.
type mediaFile struct {
	ID    int64  `json:"id"`
	URL   string `json:"url"`
	Type  string `json:"type"` // "JPEG-foto", "PDF-document"
	Size  string `json:"size"` // "1,2 MB"
	When  string `json:"when"`
	Image bool   `json:"image"` // shown as a thumbnail
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
			Type: mediafile.Label(m.ContentType), Size: mediafile.Size(m.Size), When: datetime(m.CreatedAt),
			Image: mediafile.IsImage(m.ContentType)})
	}
	return out, nil
}

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
	if !mediafile.Serve(w, r, m) {
		// The store keeps no other type; if one ever appears, it is not
		// served as what it claims to be.
		c.d.Log.Warn("console: stored file of an unknown type", "media", m.ID)
		http.NotFound(w, r)
	}
}
