package dialogs

import "github.com/incassobot/incassobot/casestore"

// The texts of a debtor's rights and requests (issue #19), added to the
// catalogs at start like texts_legal.go. Belgian wording comes from the
// placeholders ({reference_label}, {costs_label}) and from the regime
// sentences below, chosen by the case's regime.
const (
	kComplaintFiled       msgKey = "complaint.filed"
	kComplaintProcedure   msgKey = "complaint.procedure"
	kComplaintNoProcedure msgKey = "complaint.no_procedure"
	kComplaintBody        msgKey = "complaint.body"
	kSpecIntro            msgKey = "spec.intro"
	kSpecCostsNLB2C       msgKey = "spec.costs_nl_b2c"
	kSpecCostsNLB2B       msgKey = "spec.costs_nl_b2b"
	kSpecCostsBEB2C       msgKey = "spec.costs_be_b2c"
	kSpecCostsBEB2B       msgKey = "spec.costs_be_b2b"
	kSpecCostsDue         msgKey = "spec.costs_due"
	kSpecPDF              msgKey = "spec.pdf"
	kSpecName             msgKey = "spec.name"
	kInvoiceCopyLink      msgKey = "invoice_copy.link"
	kInvoiceCopyRequested msgKey = "invoice_copy.requested"
	kBankDetails          msgKey = "bank.details"
	kBankDetailsShort     msgKey = "bank.details_short"
	kBankDetailsMissing   msgKey = "bank.details_missing"
	kOverpaid             msgKey = "overpaid.said"
	kRefundAskIBAN        msgKey = "refund.ask_iban"
	kRefundBadIBAN        msgKey = "refund.bad_iban"
	kRefundNoOverpayment  msgKey = "refund.no_overpayment"
	kRefundFiled          msgKey = "refund.filed"
	kContactNoCalls       msgKey = "contact.no_calls"
	kContactChannel       msgKey = "contact.channel"
	kContactAsk           msgKey = "contact.ask"
	kRepAsk               msgKey = "representative.ask"
	kRepFiled             msgKey = "representative.filed"
	kCollectionStopped    msgKey = "collection.stopped"
	kFraudAck             msgKey = "fraud.ack"
	kFraudDone            msgKey = "fraud.done"
	kDebtHelpNL           msgKey = "debt_help.nl"
	kDebtHelpBE           msgKey = "debt_help.be"
	kDebtHelpAny          msgKey = "debt_help.any"
	kContactHowEmail      msgKey = "contact.how_email"
	kContactHowPost       msgKey = "contact.how_post"
	kContactHowSMS        msgKey = "contact.how_sms"
	kContactHowWhatsApp   msgKey = "contact.how_whatsapp"
	kContactHowTelegram   msgKey = "contact.how_telegram"
	kRefLabelNL           msgKey = "ref_label.nl"
	kRefLabelBE           msgKey = "ref_label.be"
)

func init() {
	for lang, texts := range map[casestore.Language]map[msgKey]string{
		casestore.Dutch: {
			kComplaintFiled:       "Uw klacht is genoteerd onder nummer {ref}. Een medewerker behandelt die; u krijgt uiterlijk {date} antwoord.",
			kComplaintProcedure:   "Onze klachtenregeling: {procedure}",
			kComplaintNoProcedure: "Onze klachtenregeling sturen we u mee met het antwoord.",
			kComplaintBody:        "Bent u het daarna niet met ons eens, dan kunt u terecht bij {body}.",
			kSpecIntro:            "Zo is het bedrag opgebouwd:",
			kSpecCostsNLB2C:       "De incassokosten volgen de wettelijke staffel (art. 6:96 BW, Besluit BIK/WIK) en mogen pas na een aanmaning met 14 dagen betaaltermijn.",
			kSpecCostsNLB2B:       "De incassokosten rusten op art. 6:96 BW (Besluit BIK, of het contract met de schuldeiser).",
			kSpecCostsBEB2C:       "Het schadebeding volgt Boek XIX WER: pas na een gratis herinnering en 14 dagen termijn, en binnen de wettelijke grenzen (art. XIX.4).",
			kSpecCostsBEB2B:       "De invorderingskosten zijn de forfaitaire vergoeding van de wet van 2 augustus 2002.",
			kSpecCostsDue:         "De kosten zijn verschuldigd sinds {date}.",
			kSpecPDF:              "De volledige specificatie als pdf: {link}",
			kSpecName:             "de specificatie",
			kInvoiceCopyLink:      "Een kopie van factuur {number}: {link}",
			kInvoiceCopyRequested: "Ik heb een kopie van {what} voor u aangevraagd. Een medewerker stuurt die uiterlijk {date}.",
			kBankDetails:          "U kunt {amount} overmaken naar IBAN {iban} t.n.v. {holder}, met {reference_label} {reference}. Vermeld dat altijd, dan komt uw betaling meteen bij uw dossier.",
			kBankDetailsShort:     "Of maak over naar {iban} t.n.v. {holder}, {reference_label} {reference}.",
			kBankDetailsMissing:   "Een medewerker stuurt u het rekeningnummer en het {reference_label} ({reference}), uiterlijk {date}.",
			kOverpaid:             "U heeft {amount} te veel betaald. U hoeft niets meer te betalen. Wilt u het terug? Typ TERUGBETALEN.",
			kRefundAskIBAN:        "Op welk rekeningnummer (IBAN) wilt u het geld terug? En op welke naam staat die rekening?",
			kRefundBadIBAN:        "Dat rekeningnummer lijkt niet te kloppen. Wilt u het nog eens sturen? Een IBAN begint met twee letters, zoals NL of BE.",
			kRefundNoOverpayment:  "Ik zie in uw dossier geen bedrag dat u te veel betaalde, maar een medewerker kijkt het graag na.",
			kRefundFiled:          "Dank u. Uw verzoek om terugbetaling op {iban} is genoteerd. Een medewerker controleert het en laat het u uiterlijk {date} weten.",
			kContactNoCalls:       "Genoteerd: wij bellen u niet meer.",
			kContactChannel:       "Genoteerd: voortaan sturen we onze berichten {how}.",
			kContactAsk:           "Hoe wilt u dat we contact met u opnemen: per e-mail, per post, sms of WhatsApp?",
			kRepAsk:               "Dank u voor uw bericht. Over een dossier kan ik pas iets zeggen als we weten dat u namens iemand mag optreden. Stuur uw naam, uw rol (bijv. bewindvoerder, familielid, advocaat), hoe we u bereiken en zo mogelijk het dossiernummer.",
			kRepFiled:             "Dank u. Een medewerker controleert uw gegevens (bijv. een volmacht of beschikking) en neemt uiterlijk {date} contact met u op. Tot dan kan ik niets over het dossier zeggen.",
			kCollectionStopped:    "Dit dossier wordt persoonlijk behandeld door een medewerker. Ik geef uw bericht aan een collega door.",
			kFraudAck:             "Wat vervelend. We zetten de incasso stil en een medewerker zoekt het uit. Heeft u aangifte gedaan bij de politie? Stuur dan een foto of pdf van de aangifte, of typ KLAAR.",
			kFraudDone:            "Dank u. Uw melding staat in het dossier. De incasso blijft stil tot een medewerker het heeft uitgezocht; u hoort uiterlijk {date} van ons.",
			kDebtHelpNL:           "Gratis hulp bij geldzorgen krijgt u ook bij de schuldhulpverlening van uw gemeente (bel 0800-8115 of kijk op geldfit.nl).",
			kDebtHelpBE:           "Gratis hulp bij schulden krijgt u ook bij het OCMW van uw gemeente of bij het CAW.",
			kDebtHelpAny:          "Gratis hulp bij geldzorgen krijgt u ook via uw gemeente.",
			kContactHowEmail:      "alleen per e-mail",
			kContactHowPost:       "alleen per post",
			kContactHowSMS:        "per sms",
			kContactHowWhatsApp:   "via WhatsApp",
			kContactHowTelegram:   "via Telegram",
			kRefLabelNL:           "betalingskenmerk",
			kRefLabelBE:           "gestructureerde mededeling",
		},
		casestore.English: {
			kComplaintFiled:       "Your complaint is registered under number {ref}. A member of staff will handle it; you will have an answer by {date}.",
			kComplaintProcedure:   "Our complaint procedure: {procedure}",
			kComplaintNoProcedure: "We will send you our complaint procedure with the answer.",
			kComplaintBody:        "If you still disagree with us afterwards, you can turn to {body}.",
			kSpecIntro:            "This is what the amount is made up of:",
			kSpecCostsNLB2C:       "The collection costs follow the statutory scale (art. 6:96 BW, Besluit BIK/WIK) and may only be charged after a reminder giving you 14 days to pay.",
			kSpecCostsNLB2B:       "The collection costs rest on art. 6:96 BW (Besluit BIK, or the contract with the creditor).",
			kSpecCostsBEB2C:       "The damages clause follows Book XIX WER: only after a free reminder and 14 days to pay, and within the legal limits (art. XIX.4).",
			kSpecCostsBEB2B:       "The collection costs are the flat compensation of the Belgian law of 2 August 2002.",
			kSpecCostsDue:         "The costs have been due since {date}.",
			kSpecPDF:              "The full specification as a PDF: {link}",
			kSpecName:             "the specification",
			kInvoiceCopyLink:      "A copy of invoice {number}: {link}",
			kInvoiceCopyRequested: "I have requested a copy of {what} for you. A member of staff will send it by {date}.",
			kBankDetails:          "You can transfer {amount} to IBAN {iban} in the name of {holder}, with {reference_label} {reference}. Always include it, so your payment reaches your case at once.",
			kBankDetailsShort:     "Or transfer to {iban} in the name of {holder}, {reference_label} {reference}.",
			kBankDetailsMissing:   "A member of staff will send you the account number and the {reference_label} ({reference}) by {date}.",
			kOverpaid:             "You have paid {amount} too much. You do not need to pay anything more. Would you like it back? Type REFUND.",
			kRefundAskIBAN:        "To which account (IBAN) should we refund the money? And in whose name is that account?",
			kRefundBadIBAN:        "That account number does not seem right. Could you send it again? An IBAN starts with two letters, such as NL or BE.",
			kRefundNoOverpayment:  "I see no amount paid too much in your case, but a member of staff will gladly check.",
			kRefundFiled:          "Thank you. Your refund request to {iban} is registered. A member of staff will check it and let you know by {date}.",
			kContactNoCalls:       "Noted: we will not phone you any more.",
			kContactChannel:       "Noted: from now on we will send our messages {how}.",
			kContactAsk:           "How would you like us to contact you: by e-mail, by post, SMS or WhatsApp?",
			kRepAsk:               "Thank you for your message. I can only discuss a case once we know you may act for someone. Please send your name, your role (e.g. administrator, relative, lawyer), how we can reach you and, if you have it, the case number.",
			kRepFiled:             "Thank you. A member of staff will check your details (e.g. a power of attorney or court order) and contact you by {date}. Until then I cannot discuss the case.",
			kCollectionStopped:    "This case is handled personally by a member of staff. I am passing your message on to a colleague.",
			kFraudAck:             "I am sorry to hear that. We are pausing the collection and a member of staff will look into it. Did you report it to the police? Then send a photo or PDF of the report, or type DONE.",
			kFraudDone:            "Thank you. Your report is in the case file. Collection stays paused until a member of staff has looked into it; you will hear from us by {date}.",
			kDebtHelpNL:           "Free help with money worries is also available from your municipality's debt help service (call 0800-8115 or see geldfit.nl).",
			kDebtHelpBE:           "Free help with debts is also available from the OCMW/CPAS of your municipality or from a CAW.",
			kDebtHelpAny:          "Free help with money worries is also available through your municipality.",
			kContactHowEmail:      "by e-mail only",
			kContactHowPost:       "by post only",
			kContactHowSMS:        "by SMS",
			kContactHowWhatsApp:   "on WhatsApp",
			kContactHowTelegram:   "on Telegram",
			kRefLabelNL:           "payment reference",
			kRefLabelBE:           "structured communication",
		},
		casestore.French: {
			kComplaintFiled:       "Votre plainte est enregistrée sous le numéro {ref}. Un conseiller la traite ; vous aurez une réponse au plus tard le {date}.",
			kComplaintProcedure:   "Notre procédure de plainte : {procedure}",
			kComplaintNoProcedure: "Nous vous enverrons notre procédure de plainte avec la réponse.",
			kComplaintBody:        "Si vous n'êtes toujours pas d'accord ensuite, vous pouvez vous adresser à {body}.",
			kSpecIntro:            "Voici de quoi se compose le montant :",
			kSpecCostsNLB2C:       "Les frais de recouvrement suivent le barème légal néerlandais (art. 6:96 BW, Besluit BIK/WIK) et ne sont dus qu'après un rappel de 14 jours.",
			kSpecCostsNLB2B:       "Les frais de recouvrement reposent sur l'art. 6:96 BW (Besluit BIK, ou le contrat avec le créancier).",
			kSpecCostsBEB2C:       "La clause pénale suit le livre XIX CDE : seulement après un rappel gratuit et 14 jours de délai, et dans les limites légales (art. XIX.4).",
			kSpecCostsBEB2B:       "Les frais de recouvrement sont l'indemnité forfaitaire de la loi du 2 août 2002.",
			kSpecCostsDue:         "Les frais sont dus depuis le {date}.",
			kSpecPDF:              "La spécification complète en PDF : {link}",
			kSpecName:             "la spécification",
			kInvoiceCopyLink:      "Une copie de la facture {number} : {link}",
			kInvoiceCopyRequested: "J'ai demandé une copie de {what} pour vous. Un conseiller vous l'enverra au plus tard le {date}.",
			kBankDetails:          "Vous pouvez virer {amount} sur l'IBAN {iban} au nom de {holder}, avec la {reference_label} {reference}. Indiquez-la toujours : votre paiement arrive ainsi tout de suite dans votre dossier.",
			kBankDetailsShort:     "Ou virez sur {iban} au nom de {holder}, {reference_label} {reference}.",
			kBankDetailsMissing:   "Un conseiller vous enverra le numéro de compte et la {reference_label} ({reference}) au plus tard le {date}.",
			kOverpaid:             "Vous avez payé {amount} de trop. Vous n'avez plus rien à payer. Vous voulez être remboursé(e) ? Tapez REMBOURSEMENT.",
			kRefundAskIBAN:        "Sur quel compte (IBAN) voulez-vous être remboursé(e) ? Et à quel nom est ce compte ?",
			kRefundBadIBAN:        "Ce numéro de compte ne semble pas correct. Pouvez-vous le renvoyer ? Un IBAN commence par deux lettres, comme BE ou NL.",
			kRefundNoOverpayment:  "Je ne vois pas de montant payé en trop dans votre dossier, mais un conseiller vérifiera volontiers.",
			kRefundFiled:          "Merci. Votre demande de remboursement sur {iban} est enregistrée. Un conseiller la vérifie et vous répond au plus tard le {date}.",
			kContactNoCalls:       "C'est noté : nous ne vous appellerons plus.",
			kContactChannel:       "C'est noté : désormais nous vous enverrons nos messages {how}.",
			kContactAsk:           "Comment voulez-vous que nous vous contactions : par e-mail, par courrier, par SMS ou par WhatsApp ?",
			kRepAsk:               "Merci pour votre message. Je ne peux parler d'un dossier qu'une fois que nous savons que vous pouvez agir pour cette personne. Envoyez votre nom, votre rôle (par ex. administrateur, proche, avocat), comment vous joindre et, si possible, le numéro de dossier.",
			kRepFiled:             "Merci. Un conseiller vérifie vos données (par ex. une procuration ou une décision du juge) et vous contacte au plus tard le {date}. D'ici là, je ne peux rien dire du dossier.",
			kCollectionStopped:    "Ce dossier est traité personnellement par un conseiller. Je transmets votre message à un collègue.",
			kFraudAck:             "Je suis désolé de l'apprendre. Nous suspendons le recouvrement et un conseiller examine la situation. Avez-vous porté plainte à la police ? Envoyez alors une photo ou un PDF de la plainte, ou tapez FINI.",
			kFraudDone:            "Merci. Votre signalement est dans le dossier. Le recouvrement reste suspendu jusqu'à ce qu'un conseiller ait examiné la situation ; vous aurez de nos nouvelles au plus tard le {date}.",
			kDebtHelpNL:           "Une aide gratuite est aussi proposée par le service d'aide aux dettes (schuldhulpverlening) de votre commune (0800-8115 ou geldfit.nl).",
			kDebtHelpBE:           "Une aide gratuite est aussi proposée par le CPAS de votre commune ou par un service de médiation de dettes agréé.",
			kDebtHelpAny:          "Une aide gratuite est aussi proposée par votre commune.",
			kContactHowEmail:      "uniquement par e-mail",
			kContactHowPost:       "uniquement par courrier",
			kContactHowSMS:        "par SMS",
			kContactHowWhatsApp:   "par WhatsApp",
			kContactHowTelegram:   "par Telegram",
			kRefLabelNL:           "référence de paiement",
			kRefLabelBE:           "communication structurée",
		},
	} {
		for k, s := range texts {
			catalogs[lang][k] = s
		}
	}
}
