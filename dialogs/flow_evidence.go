package dialogs

// Evidence: a photo or PDF the debtor sends while disputing an invoice or
// reporting a payment. Other files, oversize files and files sent before
// verification are not kept.

func (t *turn) media() {
	m := t.ev.Media
	if t.c == nil {
		t.say(kMediaUnverified)
		t.identify()
		return
	}
	collecting := false
	switch t.st.Node {
	case NodeDisputeReason, NodeDisputeText, NodeDisputeProof, NodePaidAccount, NodePaidReference, NodePaidProof, NodePaidDetails, NodeFraudProof:
		collecting = !t.resumed
	}
	if !collecting {
		t.say(kMediaUnexpected)
		t.showMenu()
		return
	}
	// Type and size before Ref: a channel passes a refused or oversize file
	// without bytes (so nothing was stored), and the debtor should hear why.
	switch {
	case m == nil:
		t.say(kMediaMissing)
	case !evidenceTypes[m.ContentType]:
		t.say(kMediaWrongType)
	case m.Size > MaxEvidenceSize || m.Size < 0:
		t.say(kMediaTooBig)
	case m.Ref == "":
		t.say(kMediaMissing)
	case len(t.st.Flow.Evidence) >= maxEvidenceFiles:
		t.say(kMediaTooMany)
	default:
		t.st.Flow.Evidence = append(t.st.Flow.Evidence, m.Ref)
		t.say(kMediaReceived)
	}
	if t.st.Node == NodeDisputeProof || t.st.Node == NodePaidProof || t.st.Node == NodeFraudProof {
		t.say(kAskMoreProof)
		return
	}
	t.prompt()
}

// maxEvidenceFiles bounds the files kept per dispute or payment report.
const maxEvidenceFiles = 10
