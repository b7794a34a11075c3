package webchat

import (
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"net/http"
	"strconv"
	"time"
)

// static holds the page's script and style sheet, served from our own
// origin so the Content-Security-Policy can forbid everything else.
//
//go:embed static/chat.js static/chat.css
var staticFiles embed.FS

// page is the chat page. Dutch first; the hint says English and French
// work too. Nothing the debtor or the bot writes is ever in this template:
// the script inserts messages as text (textContent), never as HTML.
var pageTmpl = template.Must(template.New("chat").Parse(`<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="{{.CSRF}}">
<meta name="max-message-bytes" content="{{.MaxBytes}}">
<title>Chat over uw dossier · {{.Agency}}</title>
<link rel="stylesheet" href="/chat/static/chat.css">
<script src="/chat/static/chat.js" defer></script>
</head>
<body>
<main id="chat" data-live="false">
<header>
<p class="agency" id="agency">{{.Agency}}</p>
<h1>Chat over uw dossier</h1>
</header>
<div id="scroll" class="scroll">
<section id="intro" class="intro">
<p>U chat met <b>{{.Agency}}</b> over uw openstaande bedrag, een betalingsregeling of een factuur. Voor uw veiligheid vragen wij eerst uw dossiernummer en uw postcode of geboortedatum.</p>
<p class="hint"><span lang="en">You can write in English too.</span> <span lang="fr">Vous pouvez aussi écrire en français.</span></p>
</section>
<ol id="messages" aria-live="polite" aria-relevant="additions" aria-label="Gesprek"></ol>
</div>
<p id="status" role="status" class="status"></p>
<form id="compose" autocomplete="off">
<label for="text">Uw bericht</label>
<div class="row">
<textarea id="text" name="text" rows="2" maxlength="{{.MaxBytes}}" required placeholder="Bijvoorbeeld: IB-2026-000123 1234AB" data-placeholder-identified="Typ uw vraag, of kies een van de knoppen"></textarea>
<button id="send" type="submit">Versturen</button>
</div>
<label for="file" class="attach">Foto of pdf als bewijs toevoegen</label>
<input id="file" name="file" type="file" accept="image/jpeg,image/png,application/pdf">
</form>
</main>
</body>
</html>
`))

type pageData struct {
	CSRF     string
	MaxBytes string
	Agency   string
}

// page serves the chat page, giving the browser a session when it has none.
func (wc *WebChat) page() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, err := wc.session(r)
		if errors.Is(err, errNoSession) {
			// A browser without a session the server knows (none, ended,
			// or a cookie it never issued) gets a new one.
			if l, over := wc.overLimit(r.Context(), limit{"sessions:" + wc.bucket(r), wc.cfg.SessionsPerMinute}); over {
				tooMany(w, l.key == "all", time.Minute, "too many new chats from your address; wait a minute")
				return
			}
			s, err = wc.issue(r.Context(), w)
		} else if err == nil {
			wc.touch(r.Context(), s)
		}
		if err != nil {
			wc.log.Warn("webchat: session unavailable", "err", err)
			http.Error(w, "De chat is even niet beschikbaar. Probeer het over een minuut opnieuw.", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store") // the page carries the CSRF token
		data := pageData{CSRF: s.CSRF, MaxBytes: strconv.Itoa(wc.cfg.MaxMessageBytes), Agency: wc.cfg.Agency}
		if err := pageTmpl.Execute(w, data); err != nil {
			wc.log.Warn("webchat: page", "err", err)
		}
	})
}

// static serves the embedded script and style sheet.
func (wc *WebChat) static() http.Handler {
	sub, err := fs.Sub(staticFiles, "static")
	if err != nil {
		panic(err) // the embed directive guarantees the folder
	}
	return http.StripPrefix("/chat/static/", http.FileServerFS(sub))
}
