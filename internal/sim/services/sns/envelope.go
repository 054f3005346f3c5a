package sns

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
)

// What subscribers receive.
//
// SQS (without raw delivery) and HTTP/S get the JSON envelope of "Fanout to Amazon SQS queues"
// and "HTTP/HTTPS notification JSON format", byte for byte in AWS's layout: two-space indent,
// `"Name" : value`, the members in AWS's order, Subject only when the message has one,
// MessageAttributes last and only when there are some, each attribute on one line as
// {"Type":"String","Value":"..."}. FIFO topics add SequenceNumber after MessageId and, as real
// FIFO notifications do (seen in captured messages; AWS's pages do not say), carry no signature.
//
// Lambda gets an SNS event (aws-lambda-go events.SNSEvent): one record whose Sns member repeats the
// envelope with AWS's Lambda spelling (SigningCertUrl, UnsubscribeUrl), Subject null when absent
// and MessageAttributes always present.

// awsTime is SNS's timestamp format: UTC with milliseconds.
func awsTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// quoteJSON quotes s as AWS's JSON writer does: only '"', '\\' and control characters are
// escaped; '/', '<', '>', '&' and non-ASCII text are written as they are.
func quoteJSON(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			if c < 0x20 {
				fmt.Fprintf(&b, `\u%04x`, c)
			} else {
				b.WriteByte(c)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

// envelopeField is one member of an envelope; raw values are written unquoted.
type envelopeField struct {
	name, value string
	raw         bool
}

func writeEnvelope(fields []envelopeField) []byte {
	var b bytes.Buffer
	b.WriteString("{\n")
	for i, f := range fields {
		b.WriteString("  ")
		b.WriteString(quoteJSON(f.name))
		b.WriteString(" : ")
		if f.raw {
			b.WriteString(f.value)
		} else {
			b.WriteString(quoteJSON(f.value))
		}
		if i < len(fields)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("}")
	return b.Bytes()
}

// attributesJSON is the MessageAttributes member of an envelope, names sorted.
func attributesJSON(attrs map[string]attribute) string {
	env := toEnvelopeAttributes(attrs)
	names := make([]string, 0, len(env))
	for n := range env {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("{\n")
	for i, n := range names {
		a := env[n]
		fmt.Fprintf(&b, "    %s : {\"Type\":%s,\"Value\":%s}", quoteJSON(n), quoteJSON(a.Type), quoteJSON(a.Value))
		if i < len(names)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("  }")
	return b.String()
}

// notification holds what every notification shape is built from.
type notification struct {
	MessageID      string
	SequenceNumber string // FIFO only
	TopicARN       string
	Subject        string
	HasSubject     bool
	Message        string
	Timestamp      string
	SigVersion     string
	Signature      string
	SigningCertURL string
	UnsubscribeURL string
	Attributes     map[string]attribute // nil when not sent (MessageStructure=json)
}

// buildNotification prepares the notification of m for a subscription receiving text.
func (s *Service) buildNotification(t *topic, m *message, subARN, text string) notification {
	n := notification{
		MessageID: m.ID, SequenceNumber: m.SeqNumber, TopicARN: m.TopicARN, Subject: m.Subject, HasSubject: m.HasSubj,
		Message: text, Timestamp: awsTime(m.Timestamp), UnsubscribeURL: s.unsubscribeURL(subARN),
	}
	// "Message attributes are sent only when the message structure is String, not JSON."
	if m.Structure != "json" && len(m.Attrs) > 0 {
		n.Attributes = m.Attrs
	}
	if !t.FIFO {
		n.SigVersion = t.Attributes["SignatureVersion"]
		if n.SigVersion == "" {
			n.SigVersion = "1"
		}
		fields := [][2]string{{"Message", n.Message}, {"MessageId", n.MessageID}}
		if n.HasSubject {
			fields = append(fields, [2]string{"Subject", n.Subject})
		}
		fields = append(fields, [2]string{"Timestamp", n.Timestamp}, [2]string{"TopicArn", n.TopicARN}, [2]string{"Type", kindNotification})
		n.Signature = s.signer.sign(n.SigVersion, stringToSign(fields))
		n.SigningCertURL = s.certURL()
	}
	return n
}

// envelope is the JSON document SQS and HTTP/S subscribers receive.
func (n notification) envelope() []byte {
	f := []envelopeField{{name: "Type", value: kindNotification}, {name: "MessageId", value: n.MessageID}}
	if n.SequenceNumber != "" {
		f = append(f, envelopeField{name: "SequenceNumber", value: n.SequenceNumber})
	}
	f = append(f, envelopeField{name: "TopicArn", value: n.TopicARN})
	if n.HasSubject {
		f = append(f, envelopeField{name: "Subject", value: n.Subject})
	}
	f = append(f, envelopeField{name: "Message", value: n.Message}, envelopeField{name: "Timestamp", value: n.Timestamp})
	if n.Signature != "" {
		f = append(f,
			envelopeField{name: "SignatureVersion", value: n.SigVersion},
			envelopeField{name: "Signature", value: n.Signature},
			envelopeField{name: "SigningCertURL", value: n.SigningCertURL})
	}
	f = append(f, envelopeField{name: "UnsubscribeURL", value: n.UnsubscribeURL})
	if len(n.Attributes) > 0 {
		f = append(f, envelopeField{name: "MessageAttributes", value: attributesJSON(n.Attributes), raw: true})
	}
	return writeEnvelope(f)
}

// lambdaSNS is the Sns member of a Lambda SNS event record.
type lambdaSNS struct {
	Type              string                       `json:"Type"`
	MessageID         string                       `json:"MessageId"`
	SequenceNumber    string                       `json:"SequenceNumber,omitempty"`
	TopicARN          string                       `json:"TopicArn"`
	Subject           *string                      `json:"Subject"`
	Message           string                       `json:"Message"`
	Timestamp         string                       `json:"Timestamp"`
	SignatureVersion  string                       `json:"SignatureVersion,omitempty"`
	Signature         string                       `json:"Signature,omitempty"`
	SigningCertURL    string                       `json:"SigningCertUrl,omitempty"`
	UnsubscribeURL    string                       `json:"UnsubscribeUrl"`
	MessageAttributes map[string]envelopeAttribute `json:"MessageAttributes"`
}

type lambdaRecord struct {
	EventSource          string    `json:"EventSource"`
	EventVersion         string    `json:"EventVersion"`
	EventSubscriptionARN string    `json:"EventSubscriptionArn"`
	SNS                  lambdaSNS `json:"Sns"`
}

// lambdaEvent is the event a subscribed function receives.
func (n notification) lambdaEvent(subARN string) []byte {
	rec := lambdaRecord{
		EventSource: "aws:sns", EventVersion: "1.0", EventSubscriptionARN: subARN,
		SNS: lambdaSNS{
			Type: kindNotification, MessageID: n.MessageID, SequenceNumber: n.SequenceNumber, TopicARN: n.TopicARN,
			Message: n.Message, Timestamp: n.Timestamp, SignatureVersion: n.SigVersion, Signature: n.Signature,
			SigningCertURL: n.SigningCertURL, UnsubscribeURL: n.UnsubscribeURL,
			MessageAttributes: toEnvelopeAttributes(n.Attributes),
		},
	}
	if n.HasSubject {
		subj := n.Subject
		rec.SNS.Subject = &subj
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(struct {
		Records []lambdaRecord `json:"Records"`
	}{[]lambdaRecord{rec}})
	return bytes.TrimRight(b.Bytes(), "\n")
}

// confirmationEnvelope is the SubscriptionConfirmation document POSTed to an HTTP/S endpoint.
func (s *Service) confirmationEnvelope(t *topic, d *delivery, now time.Time) []byte {
	msg := fmt.Sprintf("You have chosen to subscribe to the topic %s.\nTo confirm the subscription, visit the SubscribeURL included in this message.", d.TopicARN)
	subscribeURL := s.subscribeURL(d.TopicARN, d.Token)
	ts := awsTime(now)
	version := t.Attributes["SignatureVersion"]
	if version == "" {
		version = "1"
	}
	sig := s.signer.sign(version, stringToSign([][2]string{
		{"Message", msg}, {"MessageId", d.ConfirmID}, {"SubscribeURL", subscribeURL}, {"Timestamp", ts},
		{"Token", d.Token}, {"TopicArn", d.TopicARN}, {"Type", kindConfirmation},
	}))
	return writeEnvelope([]envelopeField{
		{name: "Type", value: kindConfirmation},
		{name: "MessageId", value: d.ConfirmID},
		{name: "Token", value: d.Token},
		{name: "TopicArn", value: d.TopicARN},
		{name: "Message", value: msg},
		{name: "SubscribeURL", value: subscribeURL},
		{name: "Timestamp", value: ts},
		{name: "SignatureVersion", value: version},
		{name: "Signature", value: sig},
		{name: "SigningCertURL", value: s.certURL()},
	})
}

// The URLs point at the simulator. AWS's carry no Version; these add Version=2010-03-31 so the
// simulator's front door (which routes awsQuery requests by Version) sends a plain GET of them to
// SNS, as visiting AWS's URLs does.
func (s *Service) subscribeURL(topicARN, token string) string {
	return fmt.Sprintf("%s/?Action=ConfirmSubscription&TopicArn=%s&Token=%s&Version=%s", strings.TrimRight(s.cfg.Endpoint(), "/"), topicARN, token, Version)
}

func (s *Service) unsubscribeURL(subARN string) string {
	return fmt.Sprintf("%s/?Action=Unsubscribe&SubscriptionArn=%s&Version=%s", strings.TrimRight(s.cfg.Endpoint(), "/"), subARN, Version)
}
