package s3

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/deliver"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// Event notification messages
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html):
// one record per message, wrapped in {"Records":[...]}, the same body for SQS, SNS and Lambda.
// github.com/aws/aws-lambda-go/events.S3Event reads it.

// S3Event is the body of an event notification.
type S3Event struct {
	Records []S3EventRecord `json:"Records"`
}

// S3EventRecord is one event, in the field order of S3's own messages.
type S3EventRecord struct {
	EventVersion      string             `json:"eventVersion"`
	EventSource       string             `json:"eventSource"`
	AWSRegion         string             `json:"awsRegion"`
	EventTime         string             `json:"eventTime"`
	EventName         string             `json:"eventName"`
	UserIdentity      S3UserIdentity     `json:"userIdentity"`
	RequestParameters S3RequestParams    `json:"requestParameters"`
	ResponseElements  S3ResponseElements `json:"responseElements"`
	S3                S3Entity           `json:"s3"`
}

// S3UserIdentity is who caused the event.
type S3UserIdentity struct {
	PrincipalID string `json:"principalId"`
}

// S3RequestParams holds the requester's address.
type S3RequestParams struct {
	SourceIPAddress string `json:"sourceIPAddress"`
}

// S3ResponseElements are the request's ids, the same S3 answered the request with.
type S3ResponseElements struct {
	RequestID string `json:"x-amz-request-id"`
	HostID    string `json:"x-amz-id-2"`
}

// S3Entity is the bucket and object of the event.
type S3Entity struct {
	SchemaVersion   string         `json:"s3SchemaVersion"`
	ConfigurationID string         `json:"configurationId"`
	Bucket          S3BucketEntity `json:"bucket"`
	Object          S3ObjectEntity `json:"object"`
}

// S3BucketEntity names the bucket.
type S3BucketEntity struct {
	Name          string         `json:"name"`
	OwnerIdentity S3UserIdentity `json:"ownerIdentity"`
	ARN           string         `json:"arn"`
}

// S3ObjectEntity describes the object; removal events carry only its key and sequencer.
type S3ObjectEntity struct {
	Key       string `json:"key"`
	Size      *int64 `json:"size,omitempty"`
	ETag      string `json:"eTag,omitempty"`
	Sequencer string `json:"sequencer"`
}

// testEvent is the message S3 sends a queue or topic when a configuration names it.
type testEvent struct {
	Service   string `json:"Service"`
	Event     string `json:"Event"`
	Time      string `json:"Time"`
	Bucket    string `json:"Bucket"`
	RequestID string `json:"RequestId"`
	HostID    string `json:"HostId"`
}

// objectEvent is something that happened to an object, before it is matched against the
// bucket's configuration.
type objectEvent struct {
	Name      string // the event name without "s3:", e.g. ObjectCreated:Put
	Reason    string // the API call, for EventBridge's detail.reason (PutObject, CopyObject, ...)
	Object    *objectRecord
	Requester requester
}

func (e *objectEvent) created() bool { return strings.HasPrefix(e.Name, "ObjectCreated:") }

// eventKey is an object key as S3 writes it in event records and matches it against filter
// rules: URL-encoded in the application/x-www-form-urlencoded way ("red flower.jpg" becomes
// "red+flower.jpg"), keeping "/" as it is. Letters, digits and ".-*_" stay too, as in Java's
// URLEncoder, which is what S3's encoding matches in observed events ("(" is "%28", "=" "%3D").
func eventKey(key string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(key); i++ {
		ch := key[i]
		switch {
		case 'a' <= ch && ch <= 'z', 'A' <= ch && ch <= 'Z', '0' <= ch && ch <= '9',
			ch == '.', ch == '-', ch == '*', ch == '_', ch == '/':
			b.WriteByte(ch)
		case ch == ' ':
			b.WriteByte('+')
		default:
			b.WriteByte('%')
			b.WriteByte(hexDigits[ch>>4])
			b.WriteByte(hexDigits[ch&15])
		}
	}
	return b.String()
}

// matches reports whether a destination wants an event for a key: one of its event types covers
// the event, and the URL-encoded key has its prefix and suffix (S3's filter rules are written
// URL-encoded and compared with the encoded key).
func (d *destination) matches(eventName, encodedKey string) bool {
	matched := false
	for _, e := range d.Events {
		if eventMatches(e, eventName) {
			matched = true
			break
		}
	}
	if !matched {
		return false
	}
	prefix, suffix, _ := d.filter()
	return strings.HasPrefix(encodedKey, prefix) && strings.HasSuffix(encodedKey, suffix)
}

// enqueueObjectEvent records, in the write's own transaction, one notification for every
// destination of the bucket that wants the event, and one for EventBridge when it is on. The
// worker delivers them after the commit; an event is never announced for a write that did not
// commit, nor lost for one that did.
func (s *Service) enqueueObjectEvent(tx *store.Tx, b *bucketRecord, ev objectEvent) error {
	n := b.Notification
	if n == nil || (len(n.Destinations) == 0 && !n.EventBridge) {
		return nil
	}
	key := eventKey(ev.Object.Key)
	var wanted []*destination
	for i := range n.Destinations {
		if n.Destinations[i].matches("s3:"+ev.Name, key) {
			wanted = append(wanted, &n.Destinations[i])
		}
	}
	eventBridge := n.EventBridge && (ev.created() || strings.HasPrefix(ev.Name, "ObjectRemoved:"))
	if len(wanted) == 0 && !eventBridge {
		return nil
	}
	sequencer, err := nextSequencer(tx, s.now())
	if err != nil {
		return err
	}
	now := s.now()
	for _, d := range wanted {
		body, err := json.Marshal(S3Event{Records: []S3EventRecord{s.eventRecord(b, d.ID, &ev, key, sequencer, now)}})
		if err != nil {
			return err
		}
		if err := s.enqueue(tx, deliver.Message{TargetARN: d.ARN, Body: body}, b.Name, now); err != nil {
			return err
		}
	}
	if eventBridge {
		body, err := json.Marshal(s.eventBridgeEvent(b, &ev, sequencer, now))
		if err != nil {
			return err
		}
		busARN := fmt.Sprintf("arn:aws:events:%s:%s:event-bus/default", b.Region, s.cfg.AccountID)
		if err := s.enqueue(tx, deliver.Message{TargetARN: busARN, Body: body}, b.Name, now); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) eventRecord(b *bucketRecord, configID string, ev *objectEvent, key, sequencer string, at time.Time) S3EventRecord {
	obj := S3ObjectEntity{Key: key, Sequencer: sequencer}
	if ev.created() {
		size := ev.Object.Size
		obj.Size, obj.ETag = &size, strings.Trim(ev.Object.ETag, `"`)
	}
	return S3EventRecord{
		EventVersion:      "2.1",
		EventSource:       "aws:s3",
		AWSRegion:         b.Region,
		EventTime:         awswire.XMLTime(at),
		EventName:         ev.Name,
		UserIdentity:      S3UserIdentity{PrincipalID: ev.Requester.PrincipalID},
		RequestParameters: S3RequestParams{SourceIPAddress: ev.Requester.SourceIP},
		ResponseElements:  S3ResponseElements{RequestID: ev.Requester.RequestID, HostID: ev.Requester.HostID},
		S3: S3Entity{
			SchemaVersion:   "1.0",
			ConfigurationID: configID,
			Bucket:          S3BucketEntity{Name: b.Name, OwnerIdentity: S3UserIdentity{PrincipalID: s.ownerPrincipal()}, ARN: bucketARN(b.Name)},
			Object:          obj,
		},
	}
}

// ownerPrincipal is the bucket owner's id in event records (S3 shows a short canonical id there,
// e.g. "A3NL1KOZZKExample"): "A" and the first 13 characters of the canonical user ID, upper-cased.
func (s *Service) ownerPrincipal() string { return "A" + strings.ToUpper(s.ownerID[:13]) }

// eventBridgeEvent is the event S3 sends to the default bus when EventBridge is on
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html): keys are not encoded.
func (s *Service) eventBridgeEvent(b *bucketRecord, ev *objectEvent, sequencer string, at time.Time) map[string]any {
	object := map[string]any{"key": ev.Object.Key, "sequencer": sequencer}
	detail := map[string]any{
		"version": "0", "bucket": map[string]any{"name": b.Name}, "object": object,
		"request-id": ev.Requester.RequestID, "requester": s.cfg.AccountID,
		"source-ip-address": ev.Requester.SourceIP, "reason": ev.Reason,
	}
	detailType := "Object Created"
	if ev.created() {
		object["size"], object["etag"] = ev.Object.Size, strings.Trim(ev.Object.ETag, `"`)
	} else {
		detailType = "Object Deleted"
		detail["deletion-type"] = "Permanently Deleted"
	}
	return map[string]any{
		"version": "0", "id": awswire.NewRequestID(), "detail-type": detailType, "source": "aws.s3",
		"account": s.cfg.AccountID, "time": at.UTC().Format(time.RFC3339), "region": b.Region,
		"resources": []string{bucketARN(b.Name)}, "detail": detail,
	}
}

// nextSequencer returns a sequencer greater than every one handed out before, surviving restarts:
// the larger of the clock in nanoseconds and the last value plus one, as 18 hex digits (S3's look).
func nextSequencer(tx *store.Tx, now time.Time) (string, error) {
	var last uint64
	raw, err := tx.GetRaw(sequencerBucket, "last")
	switch {
	case err == nil && len(raw) == 8:
		last = binary.BigEndian.Uint64(raw)
	case err != nil && !errors.Is(err, store.ErrNotFound):
		return "", err
	}
	next := uint64(now.UnixNano())
	if next <= last {
		next = last + 1
	}
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], next)
	if err := tx.PutRaw(sequencerBucket, "last", b[:]); err != nil {
		return "", err
	}
	return fmt.Sprintf("%018X", next), nil
}
