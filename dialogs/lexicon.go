package dialogs

import "github.com/incassobot/incassobot/casestore"

// The intent lexicons. Phrases are written without accents and apostrophes
// ("j ai deja paye", "can t pay"), as normalize and tokenize turn messages
// into. Slots are separated by spaces, alternatives by |, a trailing * makes
// a stem, a leading ! guards the phrase against a preceding negation. They
// aim at what real debtors write, including Flemish usage ("afbetalingsplan",
// "gsm", "neen", "overschrijving"), not at any one test sentence.

const (
	lxNL  = casestore.Dutch
	lxEN  = casestore.English
	lxFR  = casestore.French
	lxAny = casestore.Language("") // shared by the languages
)

var lexiconTables = []cueGroup{
	// Hardship: the debtor cannot pay at all, or is in a debt-help scheme.
	{IntentHardship, lxNL, true, []string{
		"kan niks|niets|helemaal betalen*", "kan niks|niets missen", "geen geld", "geen inkomen|inkomsten|werk",
		"baan|werk|job kwijt", "ontslagen", "werkloos", "schuldhulp*", "schuldsanering", "wsnp", "bewindvoer*",
		"beschermingsbewind", "budgetbeheer", "budgetcoach*", "schuldbemiddel*", "collectieve schuldenregeling",
		"schuldenregeling", "ocmw", "bijstand*", "leef van een uitkering", "veel|meerdere|andere schulden",
		"schulden bij|aan meerdere|veel|andere", "kom niet rond", "rondkomen", "voedselbank", "financiele problemen|zorgen",
		"geldproblemen", "geldzorgen", "niet genoeg|te weinig geld", "blut", "platzak", "armoede", "noodsituatie",
		"in de problemen", "schuldeisers", "kan de huur niet", "in de schulden", "hoge schulden", "schulden tot over",
		"red het niet", "red het financieel niet", "financieel krap|moeilijk|lastig|zwaar", "krap bij kas", "aan de grond", "amper|nauwelijks betalen|rondkomen|rond|eten|leven", "overleden",
		"overlijden", "geen cent", "rooie cent", "0|nul euro op", "rekening is|staat leeg|rood", "niks|niets op mijn rekening", "rood staan",
		"zit|zitten krap", "krap deze|dit|bij", "niks|niets meer over", "niks|niets over", "geen geld|cent over", "blijft niks|niets over",
	}},
	{IntentHardship, lxEN, true, []string{
		"can_t|cannot pay anything", "can_t|cannot afford", "no money|income", "lost my job", "lost job",
		"unemployed", "laid off", "debt counseling|counselling|advice|relief|help", "bankrupt*", "on benefits",
		"financial difficulties|problems|hardship|trouble", "hardship", "struggling", "food bank", "other|many debts",
		"make ends meet", "not enough money", "don t have any money", "no job", "don_t|do_not have a|any job|income|work", "in debt", "m|am broke", "flat broke", "skint",
		"can barely", "barely afford|pay|make|feed|survive", "passed away", "bereave*", "death in the family", "can_t|cannot cope",
	}},
	{IntentHardship, lxFR, true, []string{
		"pas|plus d argent", "sans emploi|revenu|revenus", "chomage", "chomeur", "perdu mon emploi|travail|boulot",
		"licencie", "surendett*", "mediation de dettes", "reglement collectif", "cpas", "difficultes financieres",
		"peux rien payer", "beaucoup de dettes", "fins de mois", "ne peux rien", "des|plein de|trop de dettes",
		"dettes partout", "du mal a payer|boucler|vivre", "a peine payer|vivre", "m|s en sors|sortir pas|plus", "galere*", "decede*", "deces",
	}},
	{IntentHardship, lxAny, false, []string{
		"kan niet betalen", "kan het niet betalen", "can_t|cannot pay", "unable to pay", "peux pas payer",
		"ziek", "sick", "malade", "uitkering",
	}},

	// Human: a person instead of the bot.
	{IntentHuman, lxNL, true, []string{
		"iemand spreken|bellen|praten|aan de lijn", "met iemand praten|spreken", "medewerker*", "mens", "echt|echte persoon|mens",
		"geen robot|bot|computer|chatbot", "niet bot|robot|computer|chatbot|machine", "menselijk*", "klantenservice", "collega", "behandelaar", "contactpersoon",
		"doorverbinden", "doorverbonden", "persoonlijk contact", "spreken met een persoon", "met een persoon|mens",
	}},
	{IntentHuman, lxEN, true, []string{
		"talk|speak|chat someone|somebody|person|human|agent|representative|operator",
		"real person|human", "no bot|robot", "don t want bot|robot|machine", "human", "agent", "representative", "operator", "not a bot|robot",
		"customer service|support", "live person|agent",
	}},
	{IntentHuman, lxFR, true, []string{
		"parler quelqu|personne|conseiller|humain|agent|quelqu un", "conseiller*", "un humain", "une vraie personne",
		"pas un robot", "service client*", "un agent",
	}},
	{IntentHuman, lxAny, false, []string{"iemand", "someone", "quelqu"}},

	// Stop: no more messages.
	{IntentStop, lxNL, true, []string{
		"geen berichten|sms|smsjes|mails|whatsapps|appjes meer", "stop|stoppen met berichten|sturen|appen|sms|smsen|mailen|contact",
		"uitschrijven", "uitgeschreven", "afmeld*", "afgemeld", "niet meer benaderen|contacteren|sturen|appen|smsen|mailen|lastigvallen|benaderd|gecontacteerd|lastiggevallen|gemaild",
		"laat me|mij|ons met|in rust", "laat me|mij|ons gerust", "gerust laten", "hou op met", "stuur niks|niets meer",
	}},
	{IntentStop, lxEN, true, []string{
		"unsubscribe", "stop messaging|texting|sending|contacting|messages", "leave me alone", "don t contact|text|message me",
		"do not contact|text|message me", "no more messages|texts", "opt out", "stop bothering|harassing me",
	}},
	{IntentStop, lxFR, true, []string{
		"desabonner", "desinscri*", "arretez|arrete de m envoyer|envoyer|ecrire|contacter", "laissez moi tranquille",
		"plus de messages|sms", "ne plus recevoir", "m ecrivez|contactez|envoyez|ecris|contacte plus",
		"ne plus me contacter|ecrire",
	}},
	{IntentStop, lxAny, false, []string{"stop", "stoppen", "arret", "arreter", "arretez"}},

	// Dispute: the claim itself is contested.
	{IntentDispute, lxNL, true, []string{
		"klopt niet|geen|niks|nooit", "niet eens", "oneens", "betwist*", "nooit|niet ontvangen|gehad|gekregen|besteld|geleverd|afgesloten|aangekomen|bezorgd|binnengekomen",
		"kapot", "defect", "werkt|werkte niet", "beschadigd", "niet mijn|m_n schuld|kosten|rekening|factuur|bestelling|contract|abonnement", "niet van mij",
		"verkeerde persoon|adres|klant", "herken* niet", "niet herken*", "niet voor mij",
		"ken|kende dit|die|het|deze|dat bedrijf|firma|winkel|partij niet", "ken ik niet", "onbekend bedrijf", "nooit klant", "~nooit|niet|niets|niks gekocht|besteld|gekregen|ontvangen|aangekomen|bezorgd|afgenomen",
		"belachelijk*", "schandalig*", "absurd*",
		"te hoog", "veel te veel", "onterecht*", "fout*", "onjuist", "vergissing", "bezwaar", "niet afgesproken",
		"klacht|klachten over|bij de|deze|die|het factuur|facturen|rekening|bedrag|kosten|nota",
		"niet akkoord met", "opgezegd", "teruggestuurd", "retour gestuurd", "geretourneerd", "identiteitsfraude", "fraude",
		"oplicht*", "geen contract|overeenkomst", "factuur|rekening|bedrag klopt|fout|onjuist|onterecht", "dubbel gefactureerd|gerekend",
		"niet geleverd", "slechte service", "niet verschuldigd",
	}},
	{IntentDispute, lxEN, true, []string{
		"wrong", "incorrect", "not correct|right", "mistake", "error", "dispute*", "disagree", "never ordered|received|got|signed|had",
		"didn t order|receive|get|sign", "did not order|receive|get|sign", "not received|delivered", "not mine", "not my debt",
		"don_t|do_not know this|that company", "broken", "it broke", "broke down", "faulty", "defective", "doesn_t|didn_t|does_not|did_not work", "damaged",
		"too high|much", "overcharged", "fraud", "scam", "identity theft", "cancelled", "canceled", "returned",
		"complaint|complain about the|this|my invoice|bill|amount|charges",
		"don_t|do_not owe", "unfair", "ridiculous", "outrageous", "charged twice", "don_t|do_not|didn_t recogni*", "not recogni*",
		"never arrived|came", "didn_t|did_not arrive|come", "wrong person|address", "not my bill|invoice|order",
	}},
	{IntentDispute, lxFR, true, []string{
		"conteste*", "contestation", "erreur", "errone*", "incorrect*", "pas correct|juste", "faux", "fausse", "jamais recu|commande|achete", "rien achete|commande|recu", "ridicule", "scandaleu*",
		"pas recu|commande|livre", "pas a moi", "pas ma dette", "connais pas cette|ce societe|entreprise", "casse", "defectueu*",
		"ne fonctionne pas", "marche pas", "trop cher|eleve", "arnaque", "fraude", "pas d accord",
		"reclamation|plainte sur|concernant la|cette facture|montant", "je ne dois rien",
		"ne dois rien", "reconnais pas", "jamais|pas arrive", "pas la bonne personne", "mauvaise personne",
	}},
	{IntentDispute, lxAny, false, []string{"ik betaal niet", "betaal dit niet", "ga dit|dat|het|deze niet betalen", "won t pay", "not paying", "refuse", "weiger*", "refuse*"}},

	// Already paid: past tense of paying. Guarded: "nog niet betaald" is not.
	{IntentAlreadyPaid, lxNL, true, []string{
		"!al betaald|overgemaakt|voldaan|gestort|afgelost|overgeschreven", "!betaald", "!overgemaakt", "!voldaan", "!gestort",
		"!overgeschreven", "!afgelost", "!afbetaald", "!betaalde", "!maakte over", "betalingsbewijs", "bewijs van betaling",
		"bankafschrift", "reeds betaald", "!heb ik betaald", "betaling gedaan",
	}},
	{IntentAlreadyPaid, lxEN, true, []string{
		"!already paid", "!paid", "!transferred", "!settled", "proof of payment", "!payment was made|sent", "!sent the money",
		"!paid off", "!made the payment", "!went through",
	}},
	{IntentAlreadyPaid, lxFR, true, []string{
		"!deja paye|regle|verse|rembourse|vire", "!ai paye|regle|verse|vire|rembourse", "!est|ete|etait|bien|tout paye|payee|payes|payees", "!virement effectue|fait",
		"!fait le virement", "preuve de paiement",
	}},

	{IntentAlreadyPaid, lxFR, false, []string{"!paye", "!payee", "!payes", "!payees"}},

	// Plan: paying in parts.
	{IntentPlan, lxNL, true, []string{
		"betalingsregeling*", "regeling*", "betaalregeling*", "afbetalingsregeling*", "afbetalingsplan*", "afbetaling*",
		"betalingsplan*", "betaalplan*", "termijn*", "gespreid", "spreiden", "verdelen", "verdeeld", "in delen",
		"in stukjes|stukken|gedeelten|gedeeltes", "deelbetaling*", "beetje bij beetje", "per maand|week|mnd|maandje", "maandelijks*",
		"elke|iedere maand|week", "niet in een|1 keer|x|maal|ineens", "niet ineens", "niet alles tegelijk|ineens",
		"kleine|kleinere bedragen|bedragjes", "maandbedrag", "termijnbedrag", "iets regelen", "schijven",
		"gedeeltelijk*", "stapsgewijs", "een deel|stuk|stukje per|elke|iedere",
		"uitstel van betaling", "afspraak maken",
	}},
	{IntentPlan, lxEN, true, []string{
		"installment*", "instalment*", "payment plan|arrangement|scheme", "pay in parts|part|stages|chunks",
		"spread", "per|a|each|every month|week", "monthly", "weekly", "bit by bit", "not all at once", "split",
		"arrangement", "in portions", "partial payment*", "part payment*", "a bit at a time",
	}},
	{IntentPlan, lxFR, true, []string{
		"plusieurs fois", "echelonn*", "echeancier", "plan de paiement|remboursement", "par mois|semaine",
		"chaque mois|semaine", "mensualite*", "en plusieurs", "facilite* de paiement", "arrangement", "petit a petit",
		"etaler", "en partie", "pas en une fois", "plusieurs versements|paiements",
	}},

	// Promise: a commitment to pay later. Mostly recognised from a future
	// date plus a paying verb (see classify); these phrases need no date.
	{IntentPlan, lxNL, false, []string{"afbetalen", "aflossen"}},

	{IntentPromise, lxNL, true, []string{
		"!zal betalen|overmaken|voldoen", "!ga betalen|overmaken|voldoen", "!betaal ik", "beloof*", "toezeg*",
		"zo snel mogelijk", "zsm", "binnenkort", "als ik salaris|loon|geld krijg", "na de eerste",
	}},
	{IntentPromise, lxEN, true, []string{"!will pay|transfer", "!ll pay", "going to pay", "promise*", "as soon as possible", "asap", "when i get paid"}},
	{IntentPromise, lxFR, true, []string{
		"paierai", "payerai", "reglerai", "virerai", "vais payer|regler|virer", "promets", "des que possible", "bientot",
		"ferai|vais faire le virement|paiement|versement", "je paye|paie|regle|vire le|avant|fin|au|debut|des|sans",
	}},
	{IntentPromise, lxAny, false, []string{"salaris", "loon", "salary", "paycheck", "payday", "salaire", "later", "straks"}},

	// Pay now: how to pay, in full, now.
	{IntentPayNow, lxNL, true, []string{
		"betaallink", "betaalverzoek", "tikkie", "ideal", "bancontact",
		"hoe|waar betalen|betaal|overmaken|storten|voldoen", "!nu|meteen|direct|gelijk|onmiddellijk betalen|betaal|overmaken|voldoen|afbetalen|aflossen",
		"!alles betalen|voldoen|overmaken|ineens", "!in een|1 keer|x betalen|voldoen|overmaken|afbetalen|aflossen", "!ineens betalen",
		"volledig betalen|voldoen", "hele|volledige bedrag betalen|overmaken|voldoen", "betaalmogelijkheden", "betaalgegevens",
		"betaalwijze", "betaalmethode*", "link", "qr",
	}},
	{IntentPayNow, lxEN, true, []string{
		"payment link", "pay link", "link to pay", "how can|do|to pay", "where pay", "!pay now|today|immediately|everything|online",
		"!pay in full", "!pay it all|off", "pay by card",
	}},
	{IntentPayNow, lxFR, true, []string{
		"lien de paiement", "lien pour payer", "comment payer|regler", "ou payer", "!payer maintenant|tout|immediatement",
		"!tout de suite", "en une fois",
	}},
	{IntentPayNow, lxAny, false, []string{"!betalen", "!betaal", "!pay", "!payer", "!overmaken", "!regler"}},

	// Callback: the debtor wants to be phoned.
	{IntentCallback, lxNL, true, []string{
		"bel|bellen|belt me|mij", "terugbellen", "terugbelt", "teruggebeld", "terug bellen|gebeld", "bel terug", "opbellen", "opbelt", "opgebeld",
		"~word|worden|wil gebeld", "bellen", "telefoontje",
		"telefonisch", "gebeld worden", "belafspraak", "terugbelverzoek", "belletje",
	}},
	{IntentCallback, lxEN, true, []string{"call me|back", "phone|ring me", "give me a call|ring|bell|buzz", "callback", "phone call", "call"}},
	{IntentCallback, lxFR, true, []string{"rappelez|rappeler|rappelle moi", "rappeler", "me rappeler|telephoner", "m appeler", "rappelez moi", "appelez|appeler|appelle moi", "rappelez", "coup de fil", "telephonez"}},
	{IntentCallback, lxAny, false, []string{"gsm", "telefoon*", "mobiel*", "phone", "telephone", "nummer", "number", "numero"}},

	// Balance: how much is owed, and why.
	{IntentBalance, lxNL, true, []string{
		"hoeveel", "saldo", "openstaand*", "staat open", "hoe hoog", "totaal*", "wat moet ik betalen",
		"verschuldigd", "overzicht", "waarom zo hoog|veel", "nog te betalen", "stand van zaken",
		"hoe komen jullie aan", "wat ben ik schuldig", "restbedrag", "restant*", "resterend*", "wat rest er",
		"nog iets betalen|verschuldigd", "nog iets te betalen", "nog iets open", "blijft er over",
	}},
	{IntentBalance, lxEN, true, []string{"how much", "balance", "owe", "outstanding", "amount due", "total", "why so much|high", "what do i have to pay", "remaining", "left to pay", "what is|s the amount|total|sum", "still need|have to pay", "still owe", "anything left", "do i still"}},
	{IntentBalance, lxFR, true, []string{"combien", "solde", "je dois", "dois encore", "reste a payer", "montant total|du|restant", "detail", "restant", "reste du", "payer quelque chose", "encore quelque chose"}},
	{IntentBalance, lxAny, false, []string{"schuld", "bedrag", "kosten", "rente", "incassokosten", "amount", "montant", "costs", "interest", "frais", "interets"}},

	// Help: what can I do here.
	{IntentHelp, lxNL, true, []string{
		"help", "helpen", "hulp", "menu", "opties", "keuzes", "wat kan ik doen|hier|vragen|kiezen", "mogelijkheden", "in zijn werk",
		"hoe werkt|werken deze|de|die chat|bot|chatbot|dienst|app|service|systeem",
		"wat kan|doet deze|de|die|dit|jij bot|chatbot|robot|ding|app|nummer", "wat moet ik doen", "hoe werkt dit|het",
		"uitleg", "snap het niet", "begrijp het niet", "info", "informatie", "weet niet wat|hoe", "wat ik moet doen",
	}},
	{IntentHelp, lxEN, true, []string{"help", "menu", "options", "what can i do", "what should|do i do", "how does this work", "don t understand", "info",
		"what can|do you|u do", "what can i ask", "choices"}},
	{IntentHelp, lxFR, true, []string{"aide", "aidez moi", "menu", "options", "que puis je faire", "comment ca marche", "comprends pas", "que dois je faire", "sais pas quoi faire",
		"qu est ce que je peux faire", "je peux faire quoi", "ca fonctionne", "possibilites"}},

	// Greeting: hello and nothing else yet.
	{IntentGreeting, lxNL, true, []string{
		"hallo", "hoi", "hey", "hai", "goedemorgen", "goedemiddag", "goedenavond", "goedendag", "goeiemorgen",
		"goeiemiddag", "goeiedag", "goede morgen|middag|avond|dag", "beste", "geachte", "heej", "hallo daar",
	}},
	{IntentGreeting, lxEN, true, []string{"hi", "hello", "good morning|afternoon|evening", "dear", "hiya", "howdy"}},
	{IntentGreeting, lxFR, true, []string{"bonjour", "bonsoir", "salut", "coucou", "allo", "madame", "monsieur"}},
	{IntentGreeting, lxNL, false, []string{"dag"}},

	// Evidence for the structural rules.
	{cuePay, lxAny, false, []string{
		"betaal*", "betalen", "betaling*", "overmaken", "overmaak", "~maak|maken|maakte over", "storten", "stort",
		"overschrijven", "voldoen", "voldoe", "aflossen", "pay*", "paie*", "paye*", "regler", "reglerai", "virer",
		"virerai", "verser", "paid", "transfer*", "send the money", "settle", "virement", "vire", "verse", "versement",
		"storting", "overschrijving", "staat|stond|staan|zet|zetten op rekening",
		"heeft|hebt|hebben|krijgt|krijgen|ontvangt|ontvangen u|jullie het geld|bedrag",
	}},
	{cuePeriod, lxAny, false, []string{
		"per maand|week|mnd|maandje", "p m", "pmnd", "maandelijks*", "elke|iedere maand|week", "a|per|each|every month|week",
		"monthly", "weekly", "par mois|semaine", "chaque mois|semaine", "mensuel*", "mnd", "maand", "month", "mois",
	}},
	{cueMoney, lxAny, false, []string{
		"bedrag", "max", "maximaal", "maximum", "ongeveer", "about", "around", "amount", "environ", "montant", "hooguit", "minimaal",
	}},
	{cueNow, lxAny, false, []string{
		"nu", "meteen", "direct", "gelijk", "onmiddellijk", "now", "immediately", "right away", "straight away",
		"maintenant", "immediatement", "tout de suite", "de suite",
	}},
	{cueHow, lxAny, false, []string{"hoe", "how", "comment"}},
	{cueAmount, lxAny, false, []string{"hoeveel", "how much", "combien"}},
	{cueRest, lxAny, false, []string{"rest", "restant*", "resterend*", "remainder", "the rest", "reste", "overige", "daarna|dan|then|puis per|a|par"}},
	{cueSalary, lxAny, false, []string{"get|gets|getting paid", "payday", "pay day", "salaris", "loon", "uitkering komt|binnen", "salaire", "ma paie|paye", "wages"}},
	{cueSplit, lxAny, false, []string{"verdelen", "verdeeld", "spreiden", "gespreid", "spread", "etaler", "repartir", "afbetalen"}},
}

// commonWords are ordinary words that lie within one edit of a lexicon word.
// Known words are never matched fuzzily, so listing them keeps "betaalt"
// (pays) from being read as "betaald" (paid), "bellen" from "bellen", etc.
var commonWords = []string{
	"betaalt", "betaalden", "betalen", "betaling", "betalingen", "maand", "maanden", "graag", "alleen", "bedankt",
	"welke", "wanneer", "waarom", "kunnen", "willen", "morgen", "vandaag", "hebben", "heeft", "worden", "where",
	"there", "their", "which", "would", "could", "should", "money", "please", "moment", "maintenant", "toujours",
	"beaucoup", "factuur", "facture", "invoice", "brief", "letter", "bedrijf", "regelen", "geregeld", "mensen",
	"helpt", "sorry", "excuses", "payes", "state", "staat", "totally", "helper", "beter", "weten", "weken",
	"dagen", "jaren", "euros", "euro", "hello", "hallo", "paper", "stond", "stuur", "sturen", "kosten",
	"kopen", "gekocht", "nummer", "klopt", "klant", "klanten", "month", "months", "payer", "party", "merci",
	"gestopt", "gestopte", // stopped (an allowance, a job): not "gestort" (paid in)
}

// Dispute reasons, as cue kinds; disputeReason turns them into
// casestore.DisputeReason.
const (
	reasonNotMine     Intent = "_r:not-my-debt"
	reasonNotReceived Intent = "_r:not-received"
	reasonFaulty      Intent = "_r:faulty"
	reasonWrongAmount Intent = "_r:wrong-amount"
)

var reasonTables = []cueGroup{
	{reasonNotMine, lxAny, true, []string{
		"niet mijn|m_n schuld", "niet van mij", "ken|kende dit|die|het|deze|dat bedrijf|firma|winkel|partij niet", "ken ik niet",
		"onbekend bedrijf", "nooit klant", "nooit|niet besteld|afgesloten", "identiteitsfraude", "fraude", "oplicht*",
		"geen contract|overeenkomst", "not mine", "not my debt", "never ordered|signed", "didn_t|did_not order|sign",
		"don_t|do_not know this|that company", "identity theft|fraud", "fraud", "scam", "pas a moi", "pas ma dette",
		"connais pas", "jamais|pas commande", "usurpation", "arnaque", "wrong person", "verkeerde persoon",
		"niet mijn|m_n kosten|rekening|factuur|bestelling|contract|abonnement", "herken* niet", "niet herken*",
		"don_t|do_not|didn_t recogni*", "not recogni*", "reconnais pas", "pas la bonne personne", "mauvaise personne",
	}},
	{reasonNotReceived, lxAny, true, []string{
		"nooit|niet ontvangen|gehad|gekregen|geleverd|aangekomen|bezorgd|thuisbezorgd", "never received|got|delivered|arrived|came",
		"niks|niets ontvangen|gekregen|geleverd", "nothing arrived|came", "rien recu", "jamais eu|vu", "nooit gezien",
		"not received|delivered", "didn_t|did_not receive|get", "jamais|pas recu|livre|arrive",
	}},
	{reasonFaulty, lxAny, true, []string{
		"kapot", "defect", "beschadigd", "werkt|werkte niet", "stuk", "broken", "it broke", "broke down", "faulty", "defective", "damaged",
		"doesn_t|didn_t|does_not|did_not work", "casse", "defectueu*", "ne fonctionne pas", "marche pas",
		"slechte service|kwaliteit", "poor|bad service|quality", "mauvais service", "mauvaise qualite",
	}},
	{reasonWrongAmount, lxAny, true, []string{
		"~bedrag klopt|fout|onjuist|onterecht", "te hoog|veel|duur", "teveel", "kosten kloppen niet", "too high|much",
		"overcharged", "wrong amount", "charged twice", "dubbel", "trop cher|eleve", "montant faux|incorrect*|errone*",
		"rente klopt niet", "incassokosten",
	}},
}
