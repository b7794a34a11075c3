package dialogs

// The cues of a debtor's rights and requests (issue #19), compiled into
// theLexicon with the others. Like lexicon.go they aim at how debtors
// write, in Dutch (with Flemish usage), English and French.

// Internal cue kinds of these requests.
const (
	cueNoCalls Intent = "_nocalls" // "bel me niet", "don't call me": a contact preference unless it is a stop
	cuePrefer  Intent = "_prefer"  // "alleen", "liever", "instead": a channel wanted rather than one refused
	cueOutrage Intent = "_outrage" // "schandalig", "ridiculous": indignation, a dispute only with more
	cueTalk    Intent = "_talk"    // "spreken", "talk", "parler": asking to speak to someone
)

var rightsTables = []cueGroup{
	// Complaint: about how the agency treats the debtor, or a threat to
	// escalate (ombudsman, press, Geschillencommissie); not the debt.
	{IntentComplaint, lxNL, true, []string{
		"klacht", "klachtje", "klachtenprocedure", "klachtenregeling", "klachtenafdeling", "klachtenformulier",
		"klachten over|bij|tegen jullie|u|uw|het|dit|de bureau|medewerker|medewerkers|behandeling", "ombudsman*", "ombudsdienst", "consumentenombudsdienst", "geschillencommissie", "klagen",
		"naar de pers|krant|media|tv|televisie", "onbeschoft*", "onbeleefd*", "respectloos", "intimiderend*", "intimidatie",
		"~zo|hoe behandeld|behandelen|behandelt|bejegend", "bejegening", "manier waarop jullie|u|uw", "zo met mensen|mij omgaan|om",
		"grof|bot tegen mij|me", "toon van jullie|uw|de", "dreigende|dreigend|intimiderende berichten|brieven|toon",
	}},
	{IntentComplaint, lxEN, true, []string{
		"complaint*", "complain", "ombudsman", "the press|media|newspapers", "rude", "disrespectful", "intimidat*", "threatening",
		"the way you|your treat*|spoke|talk*", "how you treat*", "treated me", "treating me", "watchdog", "regulator", "unprofessional",
	}},
	{IntentComplaint, lxFR, true, []string{
		"plainte", "reclamation", "me plaindre", "porter reclamation", "mediateur", "ombudsman", "la presse", "les medias", "journal",
		"impoli*", "irrespectueu*", "intimid*", "menacant*", "~facon|maniere traite*|parle*|comporte*", "traite|traitee comme", "pas professionnel",
	}},
	{cueTalk, lxAny, false, []string{"spreken", "praten", "bellen", "talk", "speak", "parler", "chat", "contact"}},
	{cueOutrage, lxAny, true, []string{
		"belachelijk*", "schandalig*", "absurd*", "ridiculous", "outrageous", "unfair", "ridicule", "scandaleu*",
	}},

	// Specification: what the amount is made of, which costs, on what basis.
	{IntentSpecification, lxNL, true, []string{
		"specificatie*", "specifi*", "opbouw", "opgebouwd", "waaruit bestaat|bestaan", "bestaat|bestaan uit", "welke kosten|rente",
		"wat voor kosten|rente", "waar komen|komt kosten|rente|bedrag|bedragen vandaan", "hoe berekend|uitgerekend|opgebouwd",
		"berekening", "mag dat|dit zomaar|wel|wettelijk", "is dat|dit wettelijk|legaal|toegestaan|rechtmatig|toegestaan",
		"mogen jullie dat|dit|die|zoveel|zomaar", "mag dat", "wettelijke grondslag|basis", "waarop gebaseerd", "op basis waarvan",
		"waarom rente|kosten|incassokosten", "waarom moet ik kosten|rente", "uitsplitsing", "uitgesplitst", "onderbouwing",
	}},
	{IntentSpecification, lxEN, true, []string{
		"breakdown", "break down", "made up of", "consist*", "what|which costs|fees|charges|interest", "what are these|the|those costs|fees|charges",
		"how calculated|computed|worked out", "calculation", "is that|this legal|allowed|lawful", "are you allowed", "legal basis",
		"why interest|costs|fees|charges", "itemi*", "specification", "where do these|the|those costs|fees|charges",
	}},
	{IntentSpecification, lxFR, true, []string{
		"de quoi se compose", "se compose", "quels frais|interets", "comment calcule*|calcul", "calcul", "est ce legal|autorise|permis",
		"avez vous le droit", "base legale", "pourquoi des|ces frais|interets", "specification", "decompte", "ventilation",
	}},

	// Invoice copy: the invoice (or a copy) sent again.
	{IntentInvoiceCopy, lxNL, true, []string{
		"kopie factuur|facturen|rekening|nota", "kopie van de|die|deze factuur|facturen|rekening|nota", "duplicaat", "originele factuur|facturen",
		"stuur|stuurt|sturen|opsturen|toesturen|mail|mailen factuur|facturen|rekening|nota|kopie",
		"~factuur|facturen|kopie opsturen|toesturen|doorsturen|mailen|sturen", "factuur|facturen inzien|zien",
		"~factuur|facturen krijgen|ontvangen",
	}},
	{IntentInvoiceCopy, lxEN, true, []string{
		"copy of the|my|that invoice|bill|invoices", "invoice copy", "send me the|a|that invoice|bill|copy|invoices", "see the invoice|bill",
		"original invoice|bill", "resend the invoice|bill", "copy of invoice",
	}},
	{IntentInvoiceCopy, lxFR, true, []string{
		"copie de la|cette facture", "copie facture", "envoyer|envoyez|renvoyer|renvoyez moi la|une|cette facture|copie", "voir la facture",
		"duplicata", "facture originale",
	}},

	// Bank details: the account, its holder and the payment reference.
	{IntentBankDetails, lxNL, true, []string{
		"rekeningnummer*", "iban", "bankrekening*", "bankgegevens", "betalingskenmerk", "betaalkenmerk", "kenmerk",
		"gestructureerde mededeling", "welke mededeling", "naar|op welke rekening", "ten name van", "overschrijvingsgegevens",
	}},
	{IntentBankDetails, lxEN, true, []string{
		"account number", "bank details|account", "iban", "payment reference", "which account", "account holder",
		"transfer details", "structured communication", "what reference",
	}},
	{IntentBankDetails, lxFR, true, []string{
		"numero de compte", "coordonnees bancaires", "rib", "iban", "communication structuree", "quelle communication", "quel compte",
		"reference de paiement", "titulaire du compte",
	}},

	// Refund: paid too much, wants it back.
	{IntentRefund, lxNL, true, []string{
		"te veel|teveel betaald|overgemaakt|gestort|afgeschreven|gerekend", "dubbel betaald|overgemaakt|afgeschreven",
		"twee|2 keer|x betaald|overgemaakt|afgeschreven", "geld terug", "terugbetal*", "terugstort*", "terug storten|betalen|krijgen|boeken",
		"restitutie", "terugbetaald worden", "teruggestort",
	}},
	{IntentRefund, lxEN, true, []string{
		"overpaid", "paid too much", "paid twice|double", "refund*", "money back", "pay me back", "reimburse*", "paid more than",
	}},
	{IntentRefund, lxFR, true, []string{
		"trop paye|verse", "paye deux|2 fois", "me rembourser", "remboursez moi", "remboursez", "etre rembourse|remboursee",
		"remboursement", "recuperer mon argent", "trop percu",
	}},

	// Representative: writes for the debtor.
	{IntentRepresentative, lxNL, true, []string{
		"namens", "uit naam van", "ben de|zijn|haar|hun bewindvoerder", "bewindvoerder van", "als bewindvoerder", "ben bewindvoerder",
		"schuldhulpverlener van", "ben schuldhulpverlener|budgetcoach|schuldhulpverleenster", "ben de|zijn|haar schuldhulpverlener|budgetcoach",
		"maatschappelijk werker van", "ben maatschappelijk werker", "advocaat van", "als advocaat", "ben advocaat|advocate",
		"mijn client|clienten|cliente|clientes", "gemachtigde", "volmacht", "curator van", "mentor van",
		"voor mijn moeder|vader|zoon|dochter|man|vrouw|partner|broer|zus|oma|opa|schoonmoeder|schoonvader|moeder|pa|ma",
	}},
	{IntentRepresentative, lxEN, true, []string{
		"on behalf of", "my client|clients", "i am|m the|his|her|their lawyer|attorney|solicitor|guardian|administrator|advisor|counsellor|counselor",
		"power of attorney", "representing", "for my mother|father|son|daughter|husband|wife|partner|mum|mom|dad|brother|sister|grandmother|grandfather",
		"debt advisor|adviser|counsellor|counselor for|of", "helping my mother|father|mum|mom|dad|grandmother|grandfather",
	}},
	{IntentRepresentative, lxFR, true, []string{
		"au nom de", "pour le compte de", "mon client|ma cliente|mes clients", "je suis l avocat|avocate|administrateur|administratrice|mediateur|mediatrice|tuteur|tutrice",
		"je suis son|sa avocat|avocate|administrateur|administratrice|mediateur|mediatrice|tuteur|tutrice",
		"administrateur provisoire|de biens", "procuration", "mandataire", "pour ma mere|mon pere|mon fils|ma fille|mon mari|ma femme|mon frere|ma soeur",
		"en tant que avocat|administrateur|mediateur",
	}},
	{IntentFraud, lxAny, false, []string{"op mijn naam", "in my name", "a mon nom"}},
	{IntentRepresentative, lxAny, false, []string{
		"moeder", "vader", "zoon", "dochter", "mother", "father", "mum", "mom", "mere", "pere", "fils", "fille",
	}},

	// Identity fraud: someone else used the debtor's details.
	{IntentFraud, lxNL, true, []string{
		"identiteitsfraude", "identiteitsdiefstal", "gegevens|identiteit|naam gebruikt|misbruikt|gestolen|gejat",
		"gegevens|naam|identiteit besteld|afgesloten|gekocht", "op mijn naam besteld|afgesloten|gekocht|aangevraagd|gezet|geopend",
		"misbruik van mijn gegevens|naam|identiteit", "aangifte gedaan|gedaan bij", "aangifte bij de politie", "gehackt", "gehacked",
	}},
	{IntentFraud, lxEN, true, []string{
		"identity theft|fraud", "stole|stolen my identity|details|name|id", "used|using my name|details|identity|data|id",
		"hacked", "police report", "reported it to the police", "impersonat*",
	}},
	{IntentFraud, lxFR, true, []string{
		"usurpation", "vol d identite", "utilise mes|mon donnees|nom|identite", "utilise mon nom|identite", "pirate",
		"plainte a|au|aupres la|de police|commissariat", "plainte a la police", "porte plainte",
	}},

	// Contact preference: how (not) to be contacted.
	{IntentContactPref, lxNL, true, []string{
		"alleen|liever|uitsluitend|enkel|voortaan|graag mail|email|post|brief|brieven|whatsapp|sms|app|telegram|schriftelijk",
		"~stuur|stuurt|sturen|contact|contacteer|bereik|bereikbaar via|per mail|email|post|brief|whatsapp|sms|telegram",
		"geen sms|whatsapp|app|berichten meer maar|wel", "per e mail|email|mail|post|brief graag",
	}},
	{IntentContactPref, lxEN, true, []string{
		"only|just|prefer|rather|instead by|via|through|on email|mail|post|letter|letters|whatsapp|sms|text|telegram|writing",
		"email|text|whatsapp|write me instead|only", "contact|reach me by|via|through|on email|post|whatsapp|sms|mail|letter|text|telegram",
		"in writing",
	}},
	{IntentContactPref, lxFR, true, []string{
		"uniquement|seulement|plutot|preference|preferer|prefere par|via mail|email|courriel|courrier|poste|whatsapp|sms|telegram|ecrit",
		"contactez|contacter|ecrivez moi par|via mail|email|courriel|courrier|poste|whatsapp|sms", "par ecrit",
	}},
	{IntentContactPref, lxAny, false, []string{"via|per whatsapp|email|mail|post|sms|telegram", "by email|post|whatsapp|sms|text", "par courrier|mail|email|whatsapp|sms"}},
	{cuePrefer, lxAny, true, []string{
		"alleen", "enkel", "liever", "voortaan", "in plaats van", "maar wel", "wel via|per",
		"only", "rather", "instead", "prefer*", "from now on",
		"uniquement", "seulement", "plutot", "prefere*", "desormais", "a la place",
	}},
	{cueNoCalls, lxAny, true, []string{
		"bel|bellen|belt me|mij niet", "niet meer bellen|gebeld|opbellen", "me|mij niet meer bellen|opbellen", "geen telefoontjes|telefoon|oproepen",
		"niet bellen|opbellen", "stop|stoppen|ophouden met bellen", "niet gebeld worden",
		"don_t|do_not|stop call|calling|phone|phoning|ring|ringing me", "no more calls", "no calls|phone", "no phone calls", "not by phone",
		"ne m appelez|appelle|telephonez plus|pas", "arretez de m appeler|telephoner", "pas d appel|appels", "ne pas m appeler", "pas par telephone",
	}},
}

// rightsRules weigh the cues of these requests against the others.
func rightsRules(ev intentEvidence) {
	// "bel me niet (meer)": how to be contacted, not an opt-out, unless
	// the message also stops the messages ("bel me niet en stuur niks meer").
	if ev.has(cueNoCalls) {
		delete(ev.strong, IntentCallback)
		delete(ev.weak, IntentCallback)
		if !ev.strong[IntentStop] {
			ev.strong[IntentContactPref] = true
		}
	}
	// "stuur me geen berichten meer via whatsapp": a channel named only to
	// refuse it is an opt-out; a preference names the channel wanted
	// ("alleen", "liever", "instead").
	if ev.strong[IntentContactPref] && ev.strong[IntentStop] && !ev.has(cueNoCalls) && !ev.has(cuePrefer) {
		delete(ev.strong, IntentContactPref)
	}
	// "geen sms meer, alleen per mail": a channel asked for is a
	// preference, not an opt-out.
	if ev.strong[IntentContactPref] && !ev.has(cueNoCalls) {
		delete(ev.strong, IntentStop)
	}
	// "schandalig hoe jullie mij behandelen": indignation about treatment
	// is a complaint; a dispute needs words about the claim.
	if ev.strong[IntentComplaint] && ev.strong[IntentDispute] && !ev.outside(cueOutrage, IntentDispute) {
		delete(ev.strong, IntentDispute)
	}
	// "geef me het rekeningnummer, dan maak ik het over": asking for the
	// account to pay with is a payment request (whose answer names the
	// account and the reference too); bank details are asked on their own.
	if ev.strong[IntentBankDetails] && ev.outside(IntentBankDetails, cuePay) {
		delete(ev.strong, IntentBankDetails)
		ev.strong[IntentPayNow] = true
	}
	// "uw medewerker was onbeschoft", "votre agent a été impoli": a
	// complaint about a person asks for no person, unless the debtor
	// asks to speak to one.
	if ev.strong[IntentComplaint] && ev.strong[IntentHuman] && !ev.has(cueTalk) {
		delete(ev.strong, IntentHuman)
	}
	// "is mijn klacht al bekeken?", "any news on my complaint?": a question
	// about one already made is a question about the case, not a new one.
	if ev.strong[IntentComplaint] && ev.strong[IntentCaseStatus] {
		delete(ev.strong, IntentComplaint)
	}
	// "ik heb dubbel betaald": a refund, whatever the paying verb says.
	if ev.strong[IntentRefund] {
		delete(ev.strong, IntentAlreadyPaid)
	}
}
