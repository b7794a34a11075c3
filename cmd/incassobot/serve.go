package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

func init() {
	register(command{name: "serve", summary: "serve HTTP on ADDR (default 127.0.0.1:8080)", run: cmdServe})
}

// serverDeps is everything the HTTP surface needs.
type serverDeps struct {
	Store casestore.Store
	Log   *slog.Logger
}

// newServer builds the HTTP surface. For now: liveness and readiness; the
// bot's webhooks, web chat and console replace this when bot/ lands.
func newServer(d serverDeps) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "incassobot is running.\n\nGET /healthz  process is up\nGET /readyz   store is reachable\n\nThe debtor channels (WhatsApp, SMS, Telegram, web chat) and the collector console are not built yet.")
	})
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if err := d.Store.Ping(ctx); err != nil {
			d.Log.Warn("readiness: store unreachable", "err", err)
			http.Error(w, "store unreachable", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok")
	})
	return mux
}

func cmdServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "serve", "")
	if _, err := parseFlags(fs, args); err != nil {
		return helpOK(err)
	}
	cfg, err := e.config()
	if err != nil {
		return err
	}
	st, err := openStore(ctx, e, cfg, true)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := seedIfEmpty(ctx, e, st); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	srv := &http.Server{
		Handler:           newServer(serverDeps{Store: st, Log: e.log}),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(e.log.Handler(), slog.LevelWarn),
	}
	fmt.Fprintf(e.stdout, "incassobot listening on http://%s\n", ln.Addr())
	e.log.Info("serving", "addr", ln.Addr().String(), "store", st.desc)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	// Requests in flight get a bounded time to finish; the signal that
	// cancelled ctx must not cut them off mid-answer.
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	e.log.Info("stopped")
	return nil
}
