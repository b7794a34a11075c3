package webchat

import (
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"strconv"
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
<title>Chat over uw dossier</title>
<link rel="stylesheet" href="/chat/static/chat.css">
<script src="/chat/static/chat.js" defer></script>
</head>
<body>
<main id="chat" data-live="false">
<header>
<h1>Chat over uw dossier</h1>
<p>Stel hier uw vraag over uw openstaande bedrag, een betalingsregeling of een factuur. Voor uw veiligheid vragen wij eerst uw dossiernummer en uw postcode of geboortedatum.</p>
<p class="hint"><span lang="en">You can write in English too.</span> <span lang="fr">Vous pouvez aussi écrire en français.</span></p>
</header>
<ol id="messages" aria-live="polite" aria-relevant="additions" aria-label="Gesprek"></ol>
<p id="status" role="status" class="status"></p>
<form id="compose" autocomplete="off">
<label for="text">Uw bericht</label>
<div class="row">
<textarea id="text" name="text" rows="2" maxlength="{{.MaxBytes}}" required placeholder="Bijvoorbeeld: IB-2026-000123 1234AB"></textarea>
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
}

// page serves the chat page, giving the browser a session when it has none.
func (wc *WebChat) page() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := session(r)
		if s == "" {
			s = newSession()
			wc.setSession(w, s)
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store") // the page carries the CSRF token
		data := pageData{CSRF: wc.csrfToken(s), MaxBytes: strconv.Itoa(wc.cfg.MaxMessageBytes)}
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
