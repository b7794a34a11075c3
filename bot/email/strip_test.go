package email

import "testing"

func TestStripReplyKeepsWhatTheDebtorWrote(t *testing.T) {
	for _, tc := range []struct{ name, body, want string }{
		{"plain", "Ik betaal vrijdag.\n", "Ik betaal vrijdag."},
		{"gmail nl", "Ik betaal vrijdag € 50.\n\nOp di 2 dec 2026 om 10:12 schreef Incassobureau <dossiers@incasso.example.test>:\n> Uw dossier IB-2026-000777\n> Openstaand € 1.234,57\n",
			"Ik betaal vrijdag € 50."},
		{"gmail en wrapped", "I will pay on Friday.\r\n\r\nOn Tue, 2 Dec 2026 at 10:12, Incassobureau <\r\ndossiers@incasso.example.test> wrote:\r\n> Your file\r\n",
			"I will pay on Friday."},
		{"apple fr", "Je paierai vendredi.\n\nEnvoyé de mon iPhone\n\nLe 2 déc. 2026 à 10:12, Incassobureau a écrit :\n> Votre dossier\n",
			"Je paierai vendredi."},
		{"outlook nl", "Graag een regeling.\n\nMet vriendelijke groet,\nJan\n\nVan: Incassobureau <dossiers@incasso.example.test>\nVerzonden: dinsdag 2 december 2026 10:12\nAan: jan@example.test\nOnderwerp: Uw dossier IB-2026-000777\n\nOpenstaand € 1.234,57",
			"Graag een regeling.\n\nMet vriendelijke groet,\nJan"},
		{"original message", "Klopt niet.\n-----Original Message-----\nFrom: x\n", "Klopt niet."},
		{"signature", "Bel mij maar.\n-- \nJan de Vries\n06 12345678\n", "Bel mij maar."},
		{"a line starting with Van: that is no header", "Van: mijn rekening is het al betaald.\nGroet", "Van: mijn rekening is het al betaald.\nGroet"},
		{"quote only", "> alleen een citaat\n", ""},
	} {
		if got := StripReply(tc.body); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}
