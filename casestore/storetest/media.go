package storetest

// The debtors' files (casestore.Evidence). Decisions the interface leaves
// open, fixed here:
//
//   - AddMedia ignores the caller's ID, Size, SHA256 and CreatedAt: the
//     store sets them from Data and its own clock, since a file's digest
//     and arrival are what make it evidence.
//   - A declared type is compared after CleanMediaType ("Image/PNG;
//     name=x.png" is image/png) and stored cleaned.
//   - The store keeps its own copy of Data: the caller may reuse its buffer.
//   - A file sent twice is stored twice (two IDs, one digest): dedupe of a
//     provider's retry is the inbox's job, not the archive's.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

var mediaTests = []test{
	{"Media/RoundTrip", testMediaRoundTrip},
	{"Media/ListWithoutData", testMediaList},
	{"Media/Invalid", testMediaInvalid},
	{"Media/AtTheSizeLimit", testMediaAtLimit},
	{"Media/InTxRollbackLeavesNoFile", testMediaRollback},
	{"Media/NeverChanges", testMediaNeverChanges},
}

// photo is a small image with every pixel different, so its encoding holds
// a wide spread of byte values (zeros, 0xFF, invalid UTF-8).
func photo() image.Image {
	img := image.NewRGBA(image.Rect(0, 0, 24, 16))
	for y := range 16 {
		for x := range 24 {
			img.Set(x, y, color.RGBA{uint8(x * 11), uint8(y * 17), uint8(x*y + 3), 255})
		}
	}
	return img
}

// PhotoJPEG is a real JPEG file, as a phone camera sends a receipt.
func PhotoJPEG(t testing.TB) []byte {
	t.Helper()
	var b bytes.Buffer
	must(t, jpeg.Encode(&b, photo(), &jpeg.Options{Quality: 80}), "encode JPEG")
	return b.Bytes()
}

// ScreenshotPNG is a real PNG file, as a banking app's screenshot.
func ScreenshotPNG(t testing.TB) []byte {
	t.Helper()
	var b bytes.Buffer
	must(t, png.Encode(&b, photo()), "encode PNG")
	return b.Bytes()
}

// StatementPDF is a minimal PDF with the binary comment line real PDFs
// carry and a stream holding every byte value, as a bank statement.
func StatementPDF() []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xE2\xE3\xCF\xD3\n")
	b.WriteString("1 0 obj\n<< /Length 256 >>\nstream\n")
	for i := range 256 {
		b.WriteByte(byte(i))
	}
	b.WriteString("\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
	return b.Bytes()
}

// hexSHA256 is the digest as the suite computes it, independently of the store.
func hexSHA256(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// wantStoreClock checks an instant the store set itself: about now.
func wantStoreClock(t testing.TB, what string, got time.Time) {
	t.Helper()
	if now := time.Now(); got.Before(now.Add(-time.Minute)) || got.After(now.Add(time.Minute)) {
		t.Errorf("%s from the store's clock: got %v, want about %v", what, got, now)
	}
}

// wantSameMedia compares a file read back with what AddMedia reported.
func wantSameMedia(t testing.TB, what string, got, want *casestore.Media) {
	t.Helper()
	wantEq(t, what+" ID", got.ID, want.ID)
	wantEq(t, what+" CaseID", got.CaseID, want.CaseID)
	wantEq(t, what+" Channel", got.Channel, want.Channel)
	wantEq(t, what+" ContentType", got.ContentType, want.ContentType)
	wantEq(t, what+" Size", got.Size, want.Size)
	wantEq(t, what+" SHA256", got.SHA256, want.SHA256)
	wantInstant(t, what+" CreatedAt", got.CreatedAt, want.CreatedAt)
}

func testMediaRoundTrip(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	c := NewCase(t, s, "IB-MEDIA")
	files := []struct {
		name, contentType, channel string
		caseID                     int64
		data                       []byte
	}{
		{"receipt photo", "image/jpeg", "whatsapp", c.ID, PhotoJPEG(t)},
		{"banking screenshot", "image/png", "telegram", c.ID, ScreenshotPNG(t)},
		{"bank statement", "application/pdf", "web", c.ID, StatementPDF()},
		{"stranger's photo", "image/jpeg", "sms", 0, PhotoJPEG(t)},
	}
	for _, f := range files {
		sent := bytes.Clone(f.data)
		m := &casestore.Media{CaseID: f.caseID, Channel: f.channel, ContentType: f.contentType, Data: sent,
			ID: 999, Size: 1, SHA256: "forged", CreatedAt: at(2020, time.January, 1, 0, 0, 0, 0)}
		must(t, s.AddMedia(ctx, m), "AddMedia "+f.name)
		if m.ID == 0 || m.ID == 999 {
			t.Errorf("%s: AddMedia set ID %d, want a new one", f.name, m.ID)
		}
		wantEq(t, f.name+" Size", m.Size, int64(len(f.data)))
		wantEq(t, f.name+" SHA256", m.SHA256, hexSHA256(f.data))
		wantStoreClock(t, f.name+" CreatedAt", m.CreatedAt)
		// The channel adapter reuses its download buffer for the next file.
		for i := range sent {
			sent[i] = 0
		}

		got, err := s.Media(ctx, m.ID)
		must(t, err, "Media "+f.name)
		wantSameMedia(t, f.name, got, m)
		if !sameBytes(got.Data, f.data) {
			t.Errorf("%s: read back %d bytes (sha256 %s), want the %d bytes sent (sha256 %s)",
				f.name, len(got.Data), hexSHA256(got.Data), len(f.data), hexSHA256(f.data))
		}
		wantEq(t, f.name+" digest of the bytes read back", hexSHA256(got.Data), got.SHA256)
	}
	_, err := s.Media(ctx, 987654)
	wantErr(t, err, casestore.ErrNotFound, "Media of an unknown id")
}

func testMediaList(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	c := NewCase(t, s, "IB-MEDIA-A")
	other := NewCaseOf(t, s, "IB-MEDIA-B", c.CreditorID, c.DebtorID)
	quiet := NewCaseOf(t, s, "IB-MEDIA-C", c.CreditorID, c.DebtorID)
	add := func(caseID int64, ct string, data []byte) *casestore.Media {
		t.Helper()
		m := &casestore.Media{CaseID: caseID, Channel: "whatsapp", ContentType: ct, Data: data}
		must(t, s.AddMedia(ctx, m), "AddMedia")
		return m
	}
	want := []*casestore.Media{add(c.ID, "image/jpeg", PhotoJPEG(t)), add(c.ID, "application/pdf", StatementPDF())}
	otherFile := add(other.ID, "image/png", ScreenshotPNG(t))
	add(0, "image/png", ScreenshotPNG(t)) // no case yet: in no case's list
	want = append(want, add(c.ID, "image/png", ScreenshotPNG(t)))

	got, err := s.MediaOf(ctx, c.ID)
	must(t, err, "MediaOf")
	if len(got) != len(want) {
		t.Fatalf("MediaOf: got %d files, want %d", len(got), len(want))
	}
	for i, g := range got {
		what := fmt.Sprintf("MediaOf file %d (oldest first)", i)
		wantSameMedia(t, what, g, want[i])
		if g.Data != nil {
			t.Errorf("%s: carries %d bytes of data, want metadata only", what, len(g.Data))
		}
	}
	got, err = s.MediaOf(ctx, other.ID)
	must(t, err, "MediaOf the other case")
	if len(got) != 1 {
		t.Fatalf("MediaOf the other case: got %d files, want 1", len(got))
	}
	wantSameMedia(t, "other case's file", got[0], otherFile)
	none, err := s.MediaOf(ctx, quiet.ID)
	must(t, err, "MediaOf a case without files")
	wantEq(t, "files of a case without any", len(none), 0)
	_, err = s.MediaOf(ctx, 987654)
	wantErr(t, err, casestore.ErrNotFound, "MediaOf an unknown case")
}

func testMediaInvalid(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	c := NewCase(t, s, "IB-MEDIA-X")
	jpg, pdf := PhotoJPEG(t), StatementPDF()
	oversize := make([]byte, casestore.MaxMediaBytes+1)
	copy(oversize, jpg) // a real JPEG start: only the size is wrong
	cases := []struct {
		name, contentType string
		data              []byte
		caseID            int64
		want              error
	}{
		{"empty file", "image/jpeg", []byte{}, c.ID, casestore.ErrInvalid},
		{"no data at all", "application/pdf", nil, c.ID, casestore.ErrInvalid},
		{"one byte over the limit", "image/jpeg", oversize, c.ID, casestore.ErrInvalid},
		{"no content type", "", jpg, c.ID, casestore.ErrInvalid},
		{"GIF is not kept", "image/gif", []byte("GIF89a\x01\x00\x01\x00"), c.ID, casestore.ErrInvalid},
		{"HTML could run in the console", "text/html", []byte("<html><script>alert(1)</script>"), c.ID, casestore.ErrInvalid},
		{"SVG could run in the console", "image/svg+xml", []byte("<svg onload=alert(1)>"), c.ID, casestore.ErrInvalid},
		{"Word document", "application/msword", []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), c.ID, casestore.ErrInvalid},
		{"garbled type", "image/", jpg, c.ID, casestore.ErrInvalid},
		{"PNG bytes declared JPEG", "image/jpeg", ScreenshotPNG(t), c.ID, casestore.ErrInvalid},
		{"PDF bytes declared PNG", "image/png", pdf, c.ID, casestore.ErrInvalid},
		{"JPEG bytes declared PDF", "application/pdf", jpg, c.ID, casestore.ErrInvalid},
		{"script declared PNG", "image/png", []byte("<script>alert(1)</script>"), c.ID, casestore.ErrInvalid},
		{"cut-off JPEG start", "image/jpeg", []byte{0xFF, 0xD8}, c.ID, casestore.ErrInvalid},
		{"PNG start missing its last byte", "image/png", []byte("\x89PNG\r\n\x1A"), c.ID, casestore.ErrInvalid},
		{"PDF without the dash", "application/pdf", []byte("%PDF1.4\n"), c.ID, casestore.ErrInvalid},
		{"unknown case", "image/jpeg", jpg, 987654, casestore.ErrNotFound},
	}
	for _, tc := range cases {
		m := &casestore.Media{CaseID: tc.caseID, Channel: "whatsapp", ContentType: tc.contentType, Data: tc.data}
		wantErr(t, s.AddMedia(ctx, m), tc.want, "AddMedia "+tc.name)
	}
	got, err := s.MediaOf(ctx, c.ID)
	must(t, err, "MediaOf")
	wantEq(t, "files stored after refusals", len(got), 0)

	// What providers put in a Content-Type header is cleaned, not refused.
	for _, declared := range []string{"IMAGE/JPEG", "image/jpeg; name=bon.jpg", "application/pdf;charset=binary"} {
		data := jpg
		if strings.HasPrefix(declared, "application/pdf") {
			data = pdf
		}
		m := &casestore.Media{CaseID: c.ID, Channel: "telegram", ContentType: declared, Data: data}
		must(t, s.AddMedia(ctx, m), "AddMedia declared "+declared)
		got, err := s.Media(ctx, m.ID)
		must(t, err, "Media declared "+declared)
		wantEq(t, "stored type of "+declared, got.ContentType, strings.ToLower(strings.Split(declared, ";")[0]))
	}
}

// testMediaAtLimit: a file of exactly MaxMediaBytes is kept, byte for byte.
func testMediaAtLimit(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	c := NewCase(t, s, "IB-MEDIA-BIG")
	data := make([]byte, casestore.MaxMediaBytes)
	copy(data, StatementPDF())
	for i := len(StatementPDF()); i < len(data); i++ {
		data[i] = byte(i * 31) // not all zeros: a store that truncates or pads shows
	}
	m := &casestore.Media{CaseID: c.ID, Channel: "web", ContentType: "application/pdf", Data: data}
	must(t, s.AddMedia(ctx, m), "AddMedia of exactly MaxMediaBytes")
	got, err := s.Media(ctx, m.ID)
	must(t, err, "Media")
	wantEq(t, "Size", got.Size, int64(casestore.MaxMediaBytes))
	if !sameBytes(got.Data, data) {
		t.Errorf("a file at the limit read back as %d bytes (sha256 %s), want %d (sha256 %s)",
			len(got.Data), hexSHA256(got.Data), len(data), hexSHA256(data))
	}
	list, err := s.MediaOf(ctx, c.ID)
	must(t, err, "MediaOf")
	if len(list) != 1 || list[0].Size != int64(casestore.MaxMediaBytes) || list[0].Data != nil {
		t.Errorf("MediaOf a case with one file at the limit: got %d entries, want 1 of %d bytes without data", len(list), casestore.MaxMediaBytes)
	}
}

// testMediaRollback: a dispute with its evidence is one transaction; if it
// fails half-way, neither the file nor the dispute is left behind.
func testMediaRollback(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	c := NewCase(t, s, "IB-MEDIA-TX")
	dispute := func(tx casestore.Tx, m *casestore.Media) error {
		if err := tx.AddMedia(ctx, m); err != nil {
			return err
		}
		return tx.AddDispute(ctx, &casestore.Dispute{CaseID: c.ID, Reason: casestore.ReasonAlreadyPaid,
			Text: "Ik heb op 3 maart betaald, zie bijlage", Evidence: []string{fmt.Sprintf("media:%d", m.ID)}})
	}
	lost := &casestore.Media{CaseID: c.ID, Channel: "whatsapp", ContentType: "image/jpeg", Data: PhotoJPEG(t)}
	err := s.InTx(ctx, func(tx casestore.Tx) error {
		if err := dispute(tx, lost); err != nil {
			return err
		}
		if _, err := tx.Media(ctx, lost.ID); err != nil { // the transaction reads its own file
			return fmt.Errorf("reading the file back inside the transaction: %w", err)
		}
		return errHalfway
	})
	wantErr(t, err, errHalfway, "InTx that fails after storing the file")
	_, err = s.Media(ctx, lost.ID)
	wantErr(t, err, casestore.ErrNotFound, "Media of a file whose transaction rolled back")
	files, err := s.MediaOf(ctx, c.ID)
	must(t, err, "MediaOf after the rollback")
	wantEq(t, "files after the rollback", len(files), 0)
	disputes, err := s.Disputes(ctx, c.ID)
	must(t, err, "Disputes after the rollback")
	wantEq(t, "disputes after the rollback", len(disputes), 0)

	kept := &casestore.Media{CaseID: c.ID, Channel: "whatsapp", ContentType: "image/jpeg", Data: PhotoJPEG(t)}
	must(t, s.InTx(ctx, func(tx casestore.Tx) error { return dispute(tx, kept) }), "InTx that commits")
	files, err = s.MediaOf(ctx, c.ID)
	must(t, err, "MediaOf after the commit")
	if len(files) != 1 {
		t.Fatalf("files after the commit: got %d, want 1", len(files))
	}
	wantSameMedia(t, "committed file", files[0], kept)
}

// testMediaNeverChanges: the contract offers no way to alter or remove a
// file, and sending the same file again adds a record beside the first.
func testMediaNeverChanges(t *testing.T, s casestore.Store) {
	var mediaMethods []string
	tx := reflect.TypeFor[casestore.Tx]()
	for i := range tx.NumMethod() {
		if name := tx.Method(i).Name; strings.Contains(strings.ToLower(name), "media") {
			mediaMethods = append(mediaMethods, name)
		}
	}
	slices.Sort(mediaMethods)
	wantStrings(t, "Tx methods on media (add and read only)", mediaMethods, []string{"AddMedia", "Media", "MediaIn", "MediaOf"})

	ctx := context.Background()
	c := NewCase(t, s, "IB-MEDIA-TWICE")
	data := StatementPDF()
	first := &casestore.Media{CaseID: c.ID, Channel: "web", ContentType: "application/pdf", Data: data}
	must(t, s.AddMedia(ctx, first), "AddMedia")
	again := &casestore.Media{CaseID: c.ID, Channel: "whatsapp", ContentType: "application/pdf", Data: data}
	must(t, s.AddMedia(ctx, again), "AddMedia of the same file again")
	if again.ID == first.ID {
		t.Fatalf("the same file sent again got the first one's ID %d", first.ID)
	}
	wantEq(t, "digest of the same bytes", again.SHA256, first.SHA256)
	got, err := s.Media(ctx, first.ID)
	must(t, err, "Media of the first")
	wantSameMedia(t, "first file after the second", got, first)
}
