package bot

import (
	"context"
	"fmt"

	"github.com/incassobot/incassobot/casestore"
)

// EvidenceRef is how the dialog, disputes and payment reports name a file
// the debtor sent: by its content digest, so the name is known before the
// transaction that stores the file (the dialog runs first) and the same
// file sent twice is recognisably the same.
func EvidenceRef(digest string) string { return "sha256:" + digest }

// prepareEvidence checks each file the channel fetched against the rules
// for evidence (type, size, magic bytes) and names the good ones. A file
// that fails keeps its type and size but loses its bytes, so the dialog can
// tell the debtor why it was not kept.
func prepareEvidence(media []Media) []Media {
	out := make([]Media, len(media))
	for i, m := range media {
		m.ContentType = casestore.CleanMediaType(m.ContentType)
		if len(m.Data) > 0 {
			check := casestore.Media{ContentType: m.ContentType, Data: m.Data}
			if check.Validate() == nil {
				m.Size = int64(len(m.Data))
				m.Ref = EvidenceRef(casestore.MediaDigest(m.Data))
			} else {
				m.Data = nil
			}
		}
		out[i] = m
	}
	return out
}

// storeEvidence keeps the message's files in the case's evidence, in the
// message's own transaction.
func storeEvidence(ctx context.Context, tx casestore.Tx, in Inbound, caseID int64) error {
	for _, m := range in.Media {
		if m.Ref == "" || len(m.Data) == 0 {
			continue
		}
		rec := casestore.Media{CaseID: caseID, Channel: in.Channel, ContentType: m.ContentType, Data: m.Data}
		if err := tx.AddMedia(ctx, &rec); err != nil {
			return fmt.Errorf("bot: keep evidence: %w", err)
		}
	}
	return nil
}
