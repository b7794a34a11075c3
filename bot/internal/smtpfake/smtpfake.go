// Package smtpfake is a local SMTP server for tests of the e-mail channel,
// built on github.com/emersion/go-smtp: it accepts every message on
// 127.0.0.1 and keeps it, parsed, for the test to read.
package smtpfake

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Message is one delivered e-mail.
type Message struct {
	From   string   // envelope sender (MAIL FROM)
	To     []string // envelope recipients (RCPT TO)
	Header mail.Header
	Body   string
	// Parts of a multipart message (text and attachments), decoded; nil
	// for a single-part message.
	Parts []Part
}

// Part is one part of a multipart message.
type Part struct {
	ContentType string // without parameters
	Filename    string // "" for the text
	Data        []byte
}

// Text is the message's plain text: the body, or its text/plain part.
func (m Message) Text() string {
	for _, p := range m.Parts {
		if p.ContentType == "text/plain" && p.Filename == "" {
			return string(p.Data)
		}
	}
	return m.Body
}

// parts decodes a multipart body (nested multiparts are flattened).
func parts(contentType string, body io.Reader) []Part {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || !strings.HasPrefix(mt, "multipart/") {
		return nil
	}
	var out []Part
	mr := multipart.NewReader(body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err != nil {
			return out
		}
		ct := p.Header.Get("Content-Type")
		if sub, _, _ := mime.ParseMediaType(ct); strings.HasPrefix(sub, "multipart/") {
			out = append(out, parts(ct, p)...)
			continue
		}
		var r io.Reader = p // multipart.Part decodes quoted-printable itself
		if strings.EqualFold(p.Header.Get("Content-Transfer-Encoding"), "base64") {
			r = base64.NewDecoder(base64.StdEncoding, p)
		}
		data, _ := io.ReadAll(r)
		t, _, _ := mime.ParseMediaType(ct)
		out = append(out, Part{ContentType: t, Filename: p.FileName(), Data: data})
	}
}

// Server is a running fake SMTP server.
type Server struct {
	Host string
	Port int

	mu       sync.Mutex
	messages []Message
	// RejectRcpt, when set, refuses RCPT TO with this SMTP code (e.g. 450
	// or 550), to test temporary and permanent refusals.
	rejectCode int
}

// Start runs a server on a free port until the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	s := &Server{}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{s: s}, nil }))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	addr := l.Addr().(*net.TCPAddr)
	s.Host, s.Port = "127.0.0.1", addr.Port
	return s
}

// Reject makes every later RCPT TO fail with code (0: accept again).
func (s *Server) Reject(code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rejectCode = code
}

// Messages returns what was delivered so far, oldest first.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

type session struct {
	s    *Server
	from string
	to   []string
}

func (x *session) Reset()        { x.from, x.to = "", nil }
func (x *session) Logout() error { return nil }
func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	x.from = from
	return nil
}

func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.s.mu.Lock()
	code := x.s.rejectCode
	x.s.mu.Unlock()
	if code != 0 {
		return &smtp.SMTPError{Code: code, Message: "recipient refused"}
	}
	x.to = append(x.to, to)
	return nil
}

func (x *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return err
	}
	var br io.Reader = msg.Body
	switch strings.ToLower(msg.Header.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		br = quotedprintable.NewReader(br)
	case "base64":
		br = base64.NewDecoder(base64.StdEncoding, br)
	}
	body, err := io.ReadAll(br)
	if err != nil {
		return err
	}
	ps := parts(msg.Header.Get("Content-Type"), bytes.NewReader(body))
	x.s.mu.Lock()
	x.s.messages = append(x.s.messages, Message{From: x.from, To: x.to, Header: msg.Header, Body: string(body), Parts: ps})
	x.s.mu.Unlock()
	return nil
}
