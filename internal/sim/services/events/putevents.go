package events

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/deliver"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// maxEntriesSize bounds the total size of a PutEvents request's entries, computed as
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html describes.
// AWS raised the limit from 256 KB to 1 MB in January 2026 ("More room to build: serverless
// services now support payloads up to 1 MB", AWS Compute Blog); 1 MB is taken as 1 MiB, the cap
// partners document for event buses. The user guide page still says 256KB.
const maxEntriesSize = 1 << 20

// maxEntries is the number of entries one PutEvents request may carry.
const maxEntries = 10

// event is the JSON every target receives unless its input is transformed:
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html
type event struct {
	Version    string          `json:"version"`
	ID         string          `json:"id"`
	DetailType string          `json:"detail-type"`
	Source     string          `json:"source"`
	Account    string          `json:"account"`
	Time       string          `json:"time"`
	Region     string          `json:"region"`
	Resources  []string        `json:"resources"`
	Detail     json.RawMessage `json:"detail"`
}

func formatEventTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// PutEventsRequestEntry is https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEventsRequestEntry.html
type PutEventsRequestEntry struct {
	Source       string
	DetailType   string
	Detail       *string
	Resources    []string
	Time         *awswire.Timestamp
	EventBusName string
	TraceHeader  string
}

// PutEventsInput is https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html
type PutEventsInput struct {
	Entries    []PutEventsRequestEntry
	EndpointId string
}

// PutEventsResultEntry is one entry's outcome: an EventId, or an error.
type PutEventsResultEntry struct {
	EventId      string `json:",omitempty"`
	ErrorCode    string `json:",omitempty"`
	ErrorMessage string `json:",omitempty"`
}

// PutEventsOutput answers PutEvents, one result per entry in order.
type PutEventsOutput struct {
	FailedEntryCount int
	Entries          []PutEventsResultEntry
}

func entrySize(e *PutEventsRequestEntry) int {
	n := len(e.Source) + len(e.DetailType) + len(deref(e.Detail))
	if e.Time != nil {
		n += 14
	}
	for _, r := range e.Resources {
		n += len(r)
	}
	return n
}

// PutEvents puts events on buses. Each entry is validated on its own; the accepted ones and
// the deliveries they cause are stored before the answer.
func (s *Service) PutEvents(_ context.Context, in *PutEventsInput) (*PutEventsOutput, *awswire.Error) {
	if len(in.Entries) == 0 {
		return nil, errConstraint("[]", "entries", "Member must have length greater than or equal to 1")
	}
	if len(in.Entries) > maxEntries {
		return nil, errConstraint("[PutEventsRequestEntry]", "entries", "Member must have length less than or equal to 10")
	}
	total := 0
	for i := range in.Entries {
		total += entrySize(&in.Entries[i])
	}
	if total > maxEntriesSize {
		return nil, errValidation("Total size of the entries in the request is over the limit.")
	}
	out := &PutEventsOutput{Entries: make([]PutEventsResultEntry, len(in.Entries))}
	var deliveries []deliveryRecord
	err := s.cfg.Store.Update(func(tx *store.Tx) error {
		deliveries = deliveries[:0]
		now := s.now()
		for i := range in.Entries {
			e := &in.Entries[i]
			res, body, bus := s.checkEntry(e)
			if res.ErrorCode == "" && !tx.Has(bucketBuses, bus) {
				res = PutEventsResultEntry{ErrorCode: "ResourceNotFoundException", ErrorMessage: fmt.Sprintf("Event bus %s does not exist.", bus)}
			}
			if res.ErrorCode != "" {
				out.Entries[i] = res
				continue
			}
			ds, err := s.fanout(tx, bus, body, res.EventId, now, nil)
			if err != nil {
				return err
			}
			deliveries = append(deliveries, ds...)
			out.Entries[i] = res
		}
		return nil
	})
	if err != nil {
		return nil, errInternal(err)
	}
	for _, r := range out.Entries {
		if r.ErrorCode != "" {
			out.FailedEntryCount++
		}
	}
	s.enqueue(deliveries)
	return out, nil
}

// checkEntry validates one entry and builds its event; the error texts are AWS's.
func (s *Service) checkEntry(e *PutEventsRequestEntry) (PutEventsResultEntry, []byte, string) {
	invalid := func(member, reason string) PutEventsResultEntry {
		return PutEventsResultEntry{ErrorCode: "InvalidArgument", ErrorMessage: fmt.Sprintf("Parameter %s is not valid. Reason: %s", member, reason)}
	}
	switch {
	case e.Source == "":
		return invalid("Source", "Source is a required argument."), nil, ""
	case e.DetailType == "":
		return invalid("DetailType", "DetailType is a required argument."), nil, ""
	case e.Detail == nil || *e.Detail == "":
		return invalid("Detail", "Detail is a required argument."), nil, ""
	case strings.HasPrefix(e.Source, "aws."):
		// Events from AWS services' sources can only be sent by those services.
		return PutEventsResultEntry{ErrorCode: "NotAuthorizedForSourceException", ErrorMessage: "Not authorized for the source."}, nil, ""
	}
	detail, ok := compactObject(*e.Detail)
	if !ok {
		return PutEventsResultEntry{ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed."}, nil, ""
	}
	t := s.now()
	if e.Time != nil {
		t = time.UnixMilli(int64(float64(*e.Time) * 1000))
	}
	ev := event{Version: "0", ID: awswire.NewUUID(), DetailType: e.DetailType, Source: e.Source, Account: s.cfg.AccountID,
		Time: formatEventTime(t), Region: s.cfg.Region, Resources: e.Resources, Detail: detail}
	if ev.Resources == nil {
		ev.Resources = []string{}
	}
	body, _ := json.Marshal(ev)
	return PutEventsResultEntry{EventId: ev.ID}, body, busName(e.EventBusName)
}

// compactObject returns s minified if it is a JSON object.
func compactObject(s string) (json.RawMessage, bool) {
	var buf bytes.Buffer
	if err := json.Compact(&buf, []byte(s)); err != nil {
		return nil, false
	}
	b := buf.Bytes()
	if len(b) == 0 || b[0] != '{' {
		return nil, false
	}
	return b, true
}

// fanout stores one delivery per target of every enabled rule of bus whose pattern matches
// the event (or of the one rule given, for a scheduled event).
func (s *Service) fanout(tx *store.Tx, bus string, body []byte, eventID string, now time.Time, only *ruleRecord) ([]deliveryRecord, error) {
	var rules []ruleRecord
	if only != nil {
		rules = append(rules, *only)
	} else {
		err := tx.ForEach(bucketRules, bus+keySep, func(_ string, v []byte) error {
			var r ruleRecord
			if err := unmarshal(v, &r); err != nil {
				return err
			}
			if !r.enabled() || r.EventPattern == "" {
				return nil
			}
			p, err := s.patterns.get(r.EventPattern)
			if err != nil {
				s.log.Warn("skipping a rule whose pattern no longer compiles", "rule", r.ARN, "error", err)
				return nil
			}
			if ok, err := p.Match(body); err != nil || !ok {
				return nil
			}
			rules = append(rules, r)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	var out []deliveryRecord
	for i := range rules {
		r := &rules[i]
		var targets []targetRecord
		if err := tx.ForEach(bucketTargets, targetPrefix(r.Bus, r.Name), func(_ string, v []byte) error {
			var t targetRecord
			if err := unmarshal(v, &t); err != nil {
				return err
			}
			targets = append(targets, t)
			return nil
		}); err != nil {
			return nil, err
		}
		for _, t := range targets {
			d, err := s.newDelivery(tx, r, &t.Spec, body, eventID, now)
			if err != nil {
				return nil, err
			}
			out = append(out, d)
		}
	}
	return out, nil
}

func (s *Service) newDelivery(tx *store.Tx, r *ruleRecord, t *targetSpec, body []byte, eventID string, now time.Time) (deliveryRecord, error) {
	input, err := targetInput(r, t, body, now)
	if err != nil {
		s.log.Warn("target input could not be built; sending the event itself", "rule", r.ARN, "target", t.ID, "error", err)
		input = string(body)
	}
	seq, err := tx.NextSequence(bucketDeliveries)
	if err != nil {
		return deliveryRecord{}, err
	}
	d := deliveryRecord{
		Key: store.SeqKey(seq), EventID: eventID, RuleARN: r.ARN, TargetID: t.ID, TargetARN: t.ARN,
		Body: input, Event: string(body), MaxRetries: defaultMaxRetries, MaxAge: int(defaultMaxAge / time.Second),
		Ingested: now, NextAt: now,
	}
	if t.SqsParameters != nil {
		d.MessageGroupID = t.SqsParameters.MessageGroupID
	}
	if t.DeadLetterConfig != nil {
		d.DLQ = t.DeadLetterConfig.ARN
	}
	if rp := t.RetryPolicy; rp != nil {
		if rp.MaximumRetryAttempts != nil {
			d.MaxRetries = *rp.MaximumRetryAttempts
		}
		if rp.MaximumEventAgeInSeconds != nil {
			d.MaxAge = *rp.MaximumEventAgeInSeconds
		}
	}
	return d, tx.Put(bucketDeliveries, d.Key, d)
}

// targetInput is what target t of rule r receives for the event body.
func targetInput(r *ruleRecord, t *targetSpec, body []byte, now time.Time) (string, error) {
	switch {
	case t.Input != nil:
		return *t.Input, nil
	case t.InputPath != nil:
		return applyInputPath(*t.InputPath, body)
	case t.InputTransformer != nil:
		return applyTransformer(t.InputTransformer.InputTemplate, t.InputTransformer.InputPathsMap, body,
			transformContext{RuleARN: r.ARN, RuleName: r.Name, IngestionTime: now.UTC().Format(time.RFC3339Nano)})
	}
	return string(body), nil
}

// TestEventPatternInput is https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_TestEventPattern.html
type TestEventPatternInput struct {
	Event        string
	EventPattern string
}

// TestEventPatternOutput answers TestEventPattern.
type TestEventPatternOutput struct {
	Result bool
}

// TestEventPattern matches one event against a pattern.
func (s *Service) TestEventPattern(_ context.Context, in *TestEventPatternInput) (*TestEventPatternOutput, *awswire.Error) {
	p, e := s.compilePattern(in.EventPattern)
	if e != nil {
		return nil, e
	}
	if _, ok := compactObject(in.Event); !ok {
		return nil, errValidation("Parameter Event is not valid.")
	}
	ok, err := p.Match([]byte(in.Event))
	if err != nil {
		return nil, errValidation("Parameter Event is not valid.")
	}
	return &TestEventPatternOutput{Result: ok}, nil
}

// Receive puts an event delivered by another service (a Lambda destination, another rule's
// target) on the bus its ARN names. The body is an event JSON ("source", "detail-type",
// "detail", ...) or a PutEvents entry ("Source", "DetailType", "Detail").
func (s *Service) Receive(_ context.Context, m deliver.Message) error {
	_, name, ok := strings.Cut(m.TargetARN, ":event-bus/")
	if !ok || name == "" {
		return fmt.Errorf("%w: %s is not an event bus ARN", deliver.ErrNoTarget, m.TargetARN)
	}
	body, err := s.eventFromBody(m.Body)
	if err != nil {
		return err
	}
	var deliveries []deliveryRecord
	err = s.cfg.Store.Update(func(tx *store.Tx) error {
		if !tx.Has(bucketBuses, name) {
			return fmt.Errorf("%w: event bus %s does not exist", deliver.ErrNoTarget, name)
		}
		var ev event
		_ = json.Unmarshal(body, &ev)
		var err error
		deliveries, err = s.fanout(tx, name, body, ev.ID, s.now(), nil)
		return err
	})
	if err != nil {
		return err
	}
	s.enqueue(deliveries)
	return nil
}

// eventFromBody builds a complete event from a delivered body.
func (s *Service) eventFromBody(body []byte) ([]byte, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, fmt.Errorf("events: delivered body is not a JSON object: %w", err)
	}
	str := func(key string) string {
		var v string
		_ = json.Unmarshal(raw[key], &v)
		return v
	}
	ev := event{Version: "0", Account: s.cfg.AccountID, Region: s.cfg.Region, Time: formatEventTime(s.now())}
	switch {
	case raw["detail-type"] != nil || raw["source"] != nil:
		ev.ID, ev.DetailType, ev.Source = str("id"), str("detail-type"), str("source")
		ev.Detail = raw["detail"]
		_ = json.Unmarshal(raw["resources"], &ev.Resources)
		if a := str("account"); a != "" {
			ev.Account = a
		}
		if r := str("region"); r != "" {
			ev.Region = r
		}
		if t, err := time.Parse(time.RFC3339, str("time")); err == nil {
			ev.Time = formatEventTime(t)
		}
	case raw["DetailType"] != nil || raw["Source"] != nil:
		ev.DetailType, ev.Source = str("DetailType"), str("Source")
		if d := str("Detail"); d != "" {
			ev.Detail = json.RawMessage(d)
		}
		_ = json.Unmarshal(raw["Resources"], &ev.Resources)
	default:
		return nil, errors.New("events: delivered body is neither an event nor a PutEvents entry")
	}
	if ev.ID == "" {
		ev.ID = awswire.NewUUID()
	}
	if d, ok := compactObject(string(ev.Detail)); ok {
		ev.Detail = d
	} else {
		ev.Detail = json.RawMessage(`{}`)
	}
	if ev.Resources == nil {
		ev.Resources = []string{}
	}
	return json.Marshal(ev)
}
