package casestore

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"mime"
	"slices"
	"strings"
	"time"
)

// Media is a file a debtor sent (a photo of a receipt, a PDF bank
// statement): evidence for a dispute or a payment. It is kept in the
// system of record, bytes and all, because a collector or a creditor may
// need it long after the provider's own copy has expired, and it never
// changes once stored.
type Media struct {
	ID          int64
	CaseID      int64  // 0 when no case was known yet (a stranger's file belongs to no dossier)
	Channel     string // "sms", "whatsapp", "telegram", "web", "console" …
	ContentType string // one of MediaTypes, without parameters
	Size        int64  // len(Data), set by the store
	SHA256      string // hex digest of Data, set by the store: proof the file is what was received
	Data        []byte // nil in lists (MediaOf): only Media(id) carries the bytes
	CreatedAt   time.Time
}

// MaxMediaBytes bounds one file. WhatsApp caps documents at 100 MB but
// photos at 5 MB and Twilio MMS at 5 MB; a scanned statement or a phone
// photo fits well within 16 MiB, and a bound keeps one upload from filling
// memory or the database.
const MaxMediaBytes = 16 << 20

// MediaTypes are the content types kept as evidence. Only formats a
// collector can open safely: no HTML, SVG or Office files, which can carry
// scripts or macros into the console.
var MediaTypes = []string{"image/jpeg", "image/png", "application/pdf"}

// mediaMagic is how each accepted type starts. A debtor's file is outside
// input: the declared type is believed only when the bytes agree, so a
// script labelled "image/png" is never served to a collector as an image.
var mediaMagic = map[string][]byte{
	"image/jpeg":      {0xFF, 0xD8, 0xFF},
	"image/png":       {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'},
	"application/pdf": []byte("%PDF-"),
}

// CleanMediaType is a declared content type as the store keeps it: lower
// case, without parameters ("Image/JPEG; name=x.jpg" is "image/jpeg").
// It returns "" when the type cannot be parsed.
func CleanMediaType(declared string) string {
	t, _, err := mime.ParseMediaType(declared)
	if err != nil {
		return ""
	}
	return strings.ToLower(t)
}

// MediaDigest is the hex SHA-256 of a file, as Media.SHA256 holds it.
func MediaDigest(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// Validate checks a file before it is stored: not empty, at most
// MaxMediaBytes, a content type in MediaTypes, and bytes that start the
// way that type does. It does not change m.
func (m *Media) Validate() error {
	ct := CleanMediaType(m.ContentType)
	what := "media file"
	if m.Channel != "" {
		what += " from " + m.Channel
	}
	// The declared type is the provider's or the debtor's text: quoted and
	// cut short in the error, never the file's bytes.
	switch {
	case len(m.Data) == 0:
		return fmt.Errorf("%s: file is empty: %w", what, ErrInvalid)
	case len(m.Data) > MaxMediaBytes:
		return fmt.Errorf("%s: %d bytes is over the limit of %d: %w",
			what, len(m.Data), MaxMediaBytes, ErrInvalid)
	case !slices.Contains(MediaTypes, ct):
		return fmt.Errorf("%s: content type %.40q is not kept as evidence (only %s): %w",
			what, m.ContentType, strings.Join(MediaTypes, ", "), ErrInvalid)
	}
	magic, ok := mediaMagic[ct]
	if !ok || !bytes.HasPrefix(m.Data, magic) {
		return fmt.Errorf("%s: the file's bytes are not %s: %w", what, ct, ErrInvalid)
	}
	return nil
}

// SniffMediaType is the type of MediaTypes that data starts like, or ""
// when it is none of them: for files that come without a trustworthy
// declared type (an invoice copy named in an import file).
func SniffMediaType(data []byte) string {
	for _, t := range MediaTypes {
		if bytes.HasPrefix(data, mediaMagic[t]) {
			return t
		}
	}
	return ""
}
