package twilio_test

import (
	"net/url"
	"reflect"
	"testing"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/twilio"
)

func statusForm(status, from string) url.Values {
	return url.Values{
		"AccountSid": {accountSID}, "ApiVersion": {"2010-04-01"},
		"MessageSid": {"SM22222222222222222222222222222222"}, "SmsSid": {"SM22222222222222222222222222222222"},
		"MessageStatus": {status}, "SmsStatus": {status},
		"From": {from}, "To": {"+31612345678"},
	}
}

func TestStatusWebhook(t *testing.T) {
	report := func(channel, status, code string) *bot.DeliveryStatus {
		return &bot.DeliveryStatus{Channel: channel, ProviderID: "SM22222222222222222222222222222222",
			Status: status, ErrorCode: code, At: fixedNow}
	}
	tests := []struct {
		webhookTest
		WantStatusReport *bot.DeliveryStatus
	}{
		{webhookTest{Label: "delivered SMS", Form: statusForm("delivered", "+3197010000001"), WantStatus: 200},
			report("sms", "delivered", "")},
		{webhookTest{Label: "read on WhatsApp", Form: with(statusForm("read", "whatsapp:+3197010000002"), "To", "whatsapp:+31612345678"), WantStatus: 200},
			report("whatsapp", "read", "")},
		{webhookTest{Label: "undelivered with Twilio's error code", Form: with(statusForm("undelivered", "+3197010000001"), "ErrorCode", "30008"), WantStatus: 200},
			report("sms", "undelivered", "30008")},
		{webhookTest{Label: "failed outside the WhatsApp window", Form: with(statusForm("failed", "whatsapp:+3197010000002"), "ErrorCode", "63016"), WantStatus: 200},
			report("whatsapp", "failed", "63016")},
		{webhookTest{Label: "canceled counts as failed", Form: statusForm("canceled", "+3197010000001"), WantStatus: 200},
			report("sms", "failed", "")},
		{webhookTest{Label: "sending is acknowledged and not recorded", Form: statusForm("sending", "+3197010000001"), WantStatus: 200}, nil},
		{webhookTest{Label: "forged", Form: statusForm("delivered", "+3197010000001"), Sign: forged, WantStatus: 403}, nil},
		{webhookTest{Label: "unsigned", Form: statusForm("delivered", "+3197010000001"), Sign: unsigned, WantStatus: 403}, nil},
		{webhookTest{Label: "signed for the inbound URL", Form: statusForm("delivered", "+3197010000001"), SignedFor: inboundURL, WantStatus: 403}, nil},
		{webhookTest{Label: "missing status", Form: with(statusForm("x", "+3197010000001"), "MessageStatus", ""), WantStatus: 400}, nil},
		{webhookTest{Label: "missing MessageSid", Form: with(statusForm("sent", "+3197010000001"), "MessageSid", ""), WantStatus: 400}, nil},
		{webhookTest{Label: "sink could not record", Form: statusForm("delivered", "+3197010000001"), SinkErr: errNotCommitted, WantStatus: 500}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.Label, func(t *testing.T) {
			tc.Target = statusURL
			sink := runWebhookTest(t, twilio.NewStatusWebhook, testConfig(nil), tc.webhookTest)
			var want []bot.DeliveryStatus
			if tc.WantStatusReport != nil {
				want = []bot.DeliveryStatus{*tc.WantStatusReport}
			}
			if !reflect.DeepEqual(sink.statuses, want) {
				t.Errorf("statuses = %+v, want %+v", sink.statuses, want)
			}
		})
	}
}
