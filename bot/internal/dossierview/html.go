package dossierview

import "html/template"

// Templates are the named blocks every page shows an entry with; a page's
// template set parses them (AddTo) and calls {{template "dossier-entry" .}}
// with an Entry:
//
//   - "dossier-entry": the sentence, the words someone wrote, and the
//     details and schedule folded in a <details> (console, creditors' pages);
//   - "dossier-entry-print": the same with the details written out, and a
//     schedule on one line, for paper (the export), where nothing unfolds.
const Templates = `{{define "dossier-entry"}}<p class="entry-summary">{{.Summary}}</p>
{{- if .HasText}}<p class="entry-text">{{.Text}}</p>{{end}}
{{- if or .Details .Schedule}}<details class="entry-details"><summary>{{if .Schedule}}Details en betaalschema ({{len .Schedule}} termijnen){{else}}Details{{end}}</summary>
{{- with .Details}}<dl class="entry-facts">{{range .}}<dt>{{.Label}}</dt><dd>{{.Value}}</dd>{{end}}</dl>{{end}}
{{- with .Schedule}}<table class="entry-schedule"><thead><tr><th>Termijn</th><th>Datum</th><th class="num">Bedrag</th></tr></thead><tbody>{{range .}}<tr><td>{{.Seq}}</td><td>{{.Due}}</td><td class="num">{{.Amount}}</td></tr>{{end}}</tbody></table>{{end}}
</details>{{end}}{{end}}
{{define "dossier-entry-print"}}<p class="entry-summary">{{.Summary}}</p>
{{- if .HasText}}<p class="entry-text">“{{.Text}}”</p>{{end}}
{{- range .Details}}<div class="entry-fact">{{.Label}}: {{.Value}}</div>{{end}}
{{- if .Schedule}}<div class="entry-fact">Betaalschema: {{.ScheduleText}}</div>{{end}}{{end}}`

// AddTo parses Templates into t and returns t, for template.Must.
func AddTo(t *template.Template) (*template.Template, error) { return t.Parse(Templates) }

// Funcs are the formatting helpers the pages share. Each returns plain
// text, which the template then escapes.
var Funcs = template.FuncMap{
	"eur":        Money,
	"datetime":   DateTime,
	"day":        ShortDay,
	"longday":    Day,
	"label":      Label,
	"priority":   Priority,
	"planPhrase": PlanPhrase,
}
