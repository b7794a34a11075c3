package main

import (
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

// PostgreSQL goes away in the middle of a message's transaction, after
// everything was written and just before the commit: nothing of it is
// committed, so the message goes to the spool and the webhook gets 200.
// While it is down webhooks are spooled too and /readyz says 503. Once it
// is back the spool is replayed, each message committed once, and
// Twilio's retry of the same webhook is recognised and commits nothing.
func TestE2EPostgresDownMidTransaction(t *testing.T) {
	t.Parallel()
	var proxy *pgProxy
	s := startE2E(t, e2eConfig{serverDB: func(dbURL string) string {
		proxy = newPGProxy(t, dbURL)
		return proxy.rewrite(dbURL)
	}})
	c := s.newCase(e2eRef, e2eDebtorPhone)
	d := s.debtor("sms", e2eDebtorPhone)
	d.says("hallo") // through the proxy, all well

	cutText := "bericht onderbroken " + newMessageSid()[2:10]
	cutSID, downSID := newMessageSid(), newMessageSid()
	const downText = "bericht tijdens de storing"
	cut := proxy.cutAtCommitOf(cutText)
	if code := d.post(cutSID, cutText); code != http.StatusOK {
		t.Fatalf("webhook whose commit was cut off: %d, want 200 (spooled)", code)
	}
	select {
	case <-cut:
	case <-time.After(5 * time.Second):
		t.Fatal("the proxy did not see the message's transaction reach its commit: the test did not cut where it means to")
	}
	if code := d.post(downSID, downText); code != http.StatusOK {
		t.Errorf("webhook while PostgreSQL is down: %d, want 200 (spooled)", code)
	}
	if code, _ := s.get("/readyz"); code != http.StatusServiceUnavailable {
		t.Errorf("/readyz while PostgreSQL is down: %d, want 503", code)
	}

	proxy.restore()
	waitReady(t, s, 15*time.Second)
	waitSpoolDrained(t, s)

	// Twilio retries the same webhooks (had it been told to): recognised,
	// answered 200, nothing committed.
	commits := proxy.watch(cutText)
	if code := d.post(cutSID, cutText); code != http.StatusOK {
		t.Errorf("retry of the cut-off message after PostgreSQL came back: %d, want 200", code)
	}
	if n := commits(); n != 0 {
		t.Errorf("the retry of a replayed message committed %d transactions, want none", n)
	}
	if code := d.post(downSID, downText); code != http.StatusOK {
		t.Errorf("retry of the message sent while PostgreSQL was down: %d, want 200", code)
	}
	rows := d.settle()
	in := messages(t, s.dossier(c.ID), casestore.EntryMessageIn, "sms")
	for _, text := range []string{cutText, downText} {
		if n := count(in, text); n != 1 {
			t.Errorf("%q is in the dossier %d times after the replay and the retry, want once", text, n)
		}
	}
	sids := map[string]int{}
	for _, m := range d.deliveries() {
		sids[m.SID]++
	}
	for _, r := range rows {
		if r.Status != casestore.OutboundSent || sids[r.ProviderID] != 1 {
			t.Errorf("reply %d (%s) reached the phone %d times, want once", r.ID, r.Status, sids[r.ProviderID])
		}
	}
}

func waitReady(t *testing.T, s *e2eServer, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		code, body := s.get("/readyz")
		if code == http.StatusOK {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz still %d %q %s after PostgreSQL came back", code, body, timeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// pgProxy is a TCP proxy in front of PostgreSQL that the test can cut
// (listener and every live connection closed: the server looks gone) and
// restore on the same address.
type pgProxy struct {
	t        *testing.T
	upstream string
	addr     string

	mu      sync.Mutex
	ln      net.Listener
	conns   map[net.Conn]bool
	token   []byte        // see watch
	commits int           // transactions that carried token and committed
	cutted  chan struct{} // armed cut (cutAtCommitOf); closed when done
}

func newPGProxy(t *testing.T, dbURL string) *pgProxy {
	t.Helper()
	u, err := url.Parse(dbURL)
	must(t, err, "DATABASE_URL")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err, "proxy listen")
	p := &pgProxy{t: t, upstream: u.Host, addr: ln.Addr().String(), ln: ln, conns: map[net.Conn]bool{}}
	go p.accept(ln)
	t.Cleanup(p.cut)
	return p
}

// rewrite points dbURL at the proxy.
func (p *pgProxy) rewrite(dbURL string) string {
	u, _ := url.Parse(dbURL)
	u.Host = p.addr
	return u.String()
}

func (p *pgProxy) accept(ln net.Listener) {
	for {
		client, err := ln.Accept()
		if err != nil {
			return
		}
		go p.pipe(client)
	}
}

func (p *pgProxy) pipe(client net.Conn) {
	server, err := net.Dial("tcp", p.upstream)
	if err != nil {
		client.Close()
		return
	}
	p.mu.Lock()
	if p.ln == nil { // cut meanwhile
		p.mu.Unlock()
		client.Close()
		server.Close()
		return
	}
	p.conns[client], p.conns[server] = true, true
	p.mu.Unlock()
	go func() {
		_, _ = io.Copy(client, server)
		client.Close()
	}()
	p.forward(client, server)
	server.Close()
}

// The simple-protocol Query messages pgx sends to end a transaction:
// 'Q', the length, the statement and a NUL.
var (
	commitMsg   = []byte("Q\x00\x00\x00\x0bcommit\x00")
	rollbackMsg = []byte("Q\x00\x00\x00\x0drollback\x00")
)

// forward copies what the client sends to PostgreSQL, watching for the
// token (see watch): a transaction that carried it and commits is counted
// or, when a cut is armed, has its commit swallowed and everything cut.
func (p *pgProxy) forward(client, server net.Conn) {
	buf := make([]byte, 64<<10)
	var tail []byte
	carried := false // the current transaction sent the token
	for {
		n, err := client.Read(buf)
		if n > 0 {
			chunk := buf[:n]
			p.mu.Lock()
			token := p.token
			p.mu.Unlock()
			if token != nil && !carried {
				seen := append(tail, chunk...)
				carried = bytes.Contains(seen, token)
				tail = append([]byte(nil), seen[max(0, len(seen)-len(token)):]...)
			}
			if carried && bytes.Contains(chunk, commitMsg) {
				carried = false
				if p.commitCarried() {
					return // swallowed, and everything is cut
				}
			}
			if bytes.Contains(chunk, rollbackMsg) {
				carried = false
			}
			if _, werr := server.Write(chunk); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// commitCarried counts a commit of a transaction that carried the token
// and reports whether it was cut instead.
func (p *pgProxy) commitCarried() bool {
	p.mu.Lock()
	p.commits++
	done := p.cutted
	p.cutted = nil
	p.mu.Unlock()
	if done == nil {
		return false
	}
	p.cut()
	close(done)
	return true
}

// watch starts counting the transactions that send token (a text only
// one message holds) to PostgreSQL and commit; the result reports them.
func (p *pgProxy) watch(token string) (commits func() int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.token, p.commits, p.cutted = []byte(token), 0, nil
	return func() int {
		p.mu.Lock()
		defer p.mu.Unlock()
		return p.commits
	}
}

// cutAtCommitOf arms a cut: when the first transaction that carries token
// sends its commit, the commit is dropped and PostgreSQL is cut off, so
// that transaction wrote everything and committed nothing. The channel is
// closed when that happened.
func (p *pgProxy) cutAtCommitOf(token string) <-chan struct{} {
	p.watch(token)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cutted = make(chan struct{})
	return p.cutted
}

// cut closes the listener and every connection: PostgreSQL is gone.
func (p *pgProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		c.Close()
	}
	clear(p.conns)
}

// restore listens on the same address again.
func (p *pgProxy) restore() {
	p.t.Helper()
	var ln net.Listener
	var err error
	for range 50 { // the port may take a moment to be free again
		if ln, err = net.Listen("tcp", p.addr); err == nil || !errors.Is(err, syscall.EADDRINUSE) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	must(p.t, err, "proxy listen again on "+p.addr)
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go p.accept(ln)
}
