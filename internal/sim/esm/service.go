package esm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/clock"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/deliver"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/invoke"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/server"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/dynamodb"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/kinesis"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/sqs"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/store"
)

// Bucket holds the mappings, keyed by UUID.
const Bucket = "esm/mappings"

// DefaultTransitionDelay is how long Creating, Enabling, Disabling, Updating and Deleting last.
const DefaultTransitionDelay = 200 * time.Millisecond

// Invoker runs a function synchronously; *invoke.Invoker implements it.
type Invoker interface {
	Invoke(ctx context.Context, fn invoke.Function, req invoke.Request) (invoke.Result, error)
}

// Functions resolves functions; *lambda.Service implements it.
type Functions interface {
	ResolveFunction(name, qualifier string) (invoke.Function, *awswire.Error)
	// FunctionRole is the execution role of the function's $LATEST version.
	FunctionRole(name string) (string, error)
}

// SQS is the queue API the SQS poller uses; *sqs.Service implements it.
type SQS interface {
	LookupQueue(queueARN string) (sqs.QueueInfo, error)
	ReceiveInternal(ctx context.Context, queueARN string, n int, wait time.Duration) ([]sqs.Message, error)
	DeleteInternal(queueARN, receiptHandle string) error
	ChangeVisibilityInternal(queueARN, receiptHandle string, timeout time.Duration) error
}

// Kinesis is what the API needs of Kinesis (the source must exist); *kinesis.Service implements it.
type Kinesis interface {
	DescribeInternal(streamARN string) (kinesis.StreamInfo, error)
}

// DynamoDB is what the API needs of DynamoDB Streams; *dynamodb.Service implements it.
type DynamoDB interface {
	DescribeStreamInternal(streamARN string) (dynamodb.StreamInfo, error)
}

// RoleChecker answers whether an IAM role may perform action on resource; the simulated IAM
// implements it. nil allows everything.
type RoleChecker interface {
	Allowed(ctx context.Context, roleARN, action, resource string) (allowed bool, reason string, err error)
}

// Config configures the service.
type Config struct {
	Store     *store.Store
	Clock     clock.Clock
	Invoker   Invoker
	Functions Functions
	SQS       SQS
	Kinesis   Kinesis  // nil refuses Kinesis mappings
	DynamoDB  DynamoDB // nil refuses DynamoDB mappings
	Bus       *deliver.Bus
	Roles     RoleChecker
	Region    string
	AccountID string
	Logger    *slog.Logger
	// TransitionDelay is how long each state transition takes; default DefaultTransitionDelay.
	TransitionDelay time.Duration
}

// Service holds the mappings and runs their pollers.
type Service struct {
	cfg Config
	mu  sync.Mutex // serialises writes of mappings
	// pollers are the running pollers by UUID.
	pollers map[string]*runner
	ctx     context.Context
	cancel  context.CancelFunc
	wg      sync.WaitGroup

	wakeMu sync.Mutex
	wake   map[string]chan struct{} // by source ARN: closed (and replaced) when it has new records
}

// runner is one mapping's running poller.
type runner struct {
	cancel context.CancelFunc
	done   chan struct{}
}

// New opens the service and resumes every mapping: transitions still due complete, enabled
// mappings poll again.
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil || cfg.Functions == nil || cfg.Invoker == nil {
		return nil, errors.New("esm: a store, the Lambda service and an invoker are required")
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.Real()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if cfg.AccountID == "" {
		cfg.AccountID = "000000000000"
	}
	if cfg.TransitionDelay <= 0 {
		cfg.TransitionDelay = DefaultTransitionDelay
	}
	s := &Service{cfg: cfg, pollers: map[string]*runner{}}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	var recs []*record
	err := cfg.Store.View(func(tx *store.Tx) error {
		return tx.ForEach(Bucket, "", func(_ string, v []byte) error {
			r := new(record)
			if err := unmarshal(v, r); err != nil {
				return err
			}
			recs = append(recs, r)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("esm: loading mappings: %w", err)
	}
	for _, r := range recs {
		if r.transitional() {
			s.scheduleTransition(r.Config.UUID, r.TransitionAt)
		} else if r.Config.State == StateEnabled {
			s.startPoller(r)
		}
	}
	return s, nil
}

// Register adds no routes: the mapping API is Lambda's and reaches the service through
// lambda.Service.Mount (package esmapi). It lets the assembly treat the service like the others.
func (s *Service) Register(*server.Router) {}

// Close stops every poller and pending transition; state stays in the store.
func (s *Service) Close() error {
	s.cancel()
	s.mu.Lock()
	for id, r := range s.pollers {
		r.cancel()
		delete(s.pollers, id)
	}
	s.mu.Unlock()
	s.wg.Wait()
	return nil
}

func (s *Service) get(tx *store.Tx, id string) (*record, error) {
	r := new(record)
	if err := tx.Get(Bucket, id, r); err != nil {
		return nil, err
	}
	return r, nil
}

// CreateEventSourceMapping: https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html
func (s *Service) CreateEventSourceMapping(ctx context.Context, in *CreateEventSourceMappingInput) (*EventSourceMappingConfiguration, *awswire.Error) {
	if in.EventSourceArn == nil || *in.EventSourceArn == "" {
		return nil, invalidParameter("Unrecognized event source, must be kinesis, dynamodb stream, sqs, msk, mq or documentdb")
	}
	if in.FunctionName == nil || *in.FunctionName == "" {
		return nil, lambdaError(400, "ValidationException", "1 validation error detected: Value null at 'functionName' failed to satisfy constraint: Member must not be null")
	}
	if e := checkRanges(&in.Settings); e != nil {
		return nil, e
	}
	source := *in.EventSourceArn
	kind := sourceKind(source)
	if kind == "" {
		return nil, invalidParameter("Unrecognized event source, must be kinesis, dynamodb stream, sqs, msk, mq or documentdb")
	}
	fifo, e := s.checkSource(kind, source)
	if e != nil {
		return nil, e
	}
	fn, e := s.cfg.Functions.ResolveFunction(*in.FunctionName, "")
	if e != nil && e.Code != "ResourceConflictException" { // a function still Pending may be mapped
		return nil, e
	}
	functionARN := fn.InvokedARN
	if functionARN == "" {
		functionARN = s.functionARN(*in.FunctionName)
	}
	c := EventSourceMappingConfiguration{
		UUID: uuid.NewString(), EventSourceArn: source, FunctionArn: functionARN,
		StateTransitionReason: "USER_INITIATED", FunctionResponseTypes: []string{},
	}
	if in.StartingPosition != nil {
		c.StartingPosition = *in.StartingPosition
	}
	c.StartingPositionTimestamp = in.StartingPositionTimestamp
	apply(&c, &in.Settings)
	defaults(kind, &c)
	if e := checkConfig(kind, fifo, &c); e != nil {
		return nil, e
	}
	if e := s.checkRole(ctx, *in.FunctionName, kind, source, &c); e != nil {
		return nil, e
	}
	now := s.cfg.Clock.Now()
	enabled := in.Enabled == nil || *in.Enabled
	r := &record{Config: c, FunctionName: *in.FunctionName, Enabled: enabled, Kind: kind, Modified: now, TransitionAt: now.Add(s.cfg.TransitionDelay)}
	r.Config.State = StateCreating
	r.Config.LastModified = epoch(now)
	if kind != KindSQS {
		r.Config.LastProcessingResult = ResultNone
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	err := s.cfg.Store.Update(func(tx *store.Tx) error {
		var dup *record
		err := tx.ForEach(Bucket, "", func(_ string, v []byte) error {
			o := new(record)
			if err := unmarshal(v, o); err != nil {
				return err
			}
			if o.Config.EventSourceArn == source && o.Config.FunctionArn == functionARN {
				dup = o
				return store.ErrStop
			}
			return nil
		})
		if err != nil && !errors.Is(err, store.ErrStop) {
			return err
		}
		if dup != nil {
			return abortWith(duplicate(kind, source, functionName(functionARN), dup.Config.UUID))
		}
		return tx.Put(Bucket, r.Config.UUID, r)
	})
	if e := asAWS(err); e != nil {
		return nil, e
	}
	s.scheduleTransition(r.Config.UUID, r.TransitionAt)
	out := r.Config
	return &out, nil
}

// checkSource checks that the queue or stream exists; fifo tells a FIFO queue.
func (s *Service) checkSource(kind, arn string) (fifo bool, e *awswire.Error) {
	switch kind {
	case KindSQS:
		if s.cfg.SQS == nil {
			return false, invalidParameter("Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does not exist.")
		}
		q, err := s.cfg.SQS.LookupQueue(arn)
		if err != nil {
			return false, invalidParameter("Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does not exist.")
		}
		return q.FIFO, nil
	case KindKinesis:
		if s.cfg.Kinesis == nil {
			return false, invalidParameter("Stream not found: %s", arn)
		}
		if _, err := s.cfg.Kinesis.DescribeInternal(arn); err != nil {
			return false, invalidParameter("Stream not found: %s", arn)
		}
	case KindDynamoDB:
		if s.cfg.DynamoDB == nil {
			return false, invalidParameter("Stream not found: %s", arn)
		}
		if _, err := s.cfg.DynamoDB.DescribeStreamInternal(arn); err != nil {
			return false, invalidParameter("Stream not found: %s", arn)
		}
	}
	return false, nil
}

// pollActions are what the execution role must allow Lambda to do on the source, with the
// name AWS's message uses for the service.
var pollActions = map[string]struct {
	service string
	actions []string
}{
	KindSQS:      {"SQS", []string{"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"}},
	KindKinesis:  {"Kinesis", []string{"kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:DescribeStream", "kinesis:ListShards"}},
	KindDynamoDB: {"DynamoDB", []string{"dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:DescribeStream", "dynamodb:ListStreams"}},
}

// checkRole checks the execution role may poll the source and reach an on-failure destination.
func (s *Service) checkRole(ctx context.Context, function, kind, source string, c *EventSourceMappingConfiguration) *awswire.Error {
	if s.cfg.Roles == nil {
		return nil
	}
	role, err := s.cfg.Functions.FunctionRole(function)
	if err != nil {
		var ae *awswire.Error
		if errors.As(err, &ae) {
			return ae
		}
		return internalError(err)
	}
	p := pollActions[kind]
	for _, action := range p.actions {
		ok, _, err := s.cfg.Roles.Allowed(ctx, role, action, source)
		if err != nil {
			return internalError(err)
		}
		if !ok {
			return roleDenied(strings.SplitN(action, ":", 2)[1], p.service)
		}
	}
	if d := c.DestinationConfig; d != nil && d.OnFailure != nil && d.OnFailure.Destination != nil {
		dest := *d.OnFailure.Destination
		action, verb := "sqs:SendMessage", "SendMessage"
		switch {
		case strings.HasPrefix(dest, "arn:aws:sns:"):
			action, verb = "sns:Publish", "Publish"
		case strings.HasPrefix(dest, "arn:aws:s3:::"):
			action, verb = "s3:PutObject", "PutObject"
		}
		ok, _, err := s.cfg.Roles.Allowed(ctx, role, action, dest)
		if err != nil {
			return internalError(err)
		}
		if !ok {
			return invalidParameter("The function execution role does not have permissions to call %s on %s", verb, dest)
		}
	}
	return nil
}

// GetEventSourceMapping: https://docs.aws.amazon.com/lambda/latest/api/API_GetEventSourceMapping.html
func (s *Service) GetEventSourceMapping(_ context.Context, id string) (*EventSourceMappingConfiguration, *awswire.Error) {
	var r *record
	err := s.cfg.Store.View(func(tx *store.Tx) error {
		var err error
		r, err = s.get(tx, id)
		return err
	})
	if e := asAWS(err); e != nil {
		return nil, e
	}
	return &r.Config, nil
}

// ListEventSourceMappings: https://docs.aws.amazon.com/lambda/latest/api/API_ListEventSourceMappings.html
// Mappings are listed in UUID order; the marker is the last UUID of the previous page.
func (s *Service) ListEventSourceMappings(_ context.Context, in *ListEventSourceMappingsInput) (*ListEventSourceMappingsOutput, *awswire.Error) {
	max := in.MaxItems
	if max <= 0 || max > 10000 {
		max = 100
	}
	fnARN := ""
	if in.FunctionName != "" {
		fnARN = s.functionARN(in.FunctionName)
	}
	var all []*record
	err := s.cfg.Store.View(func(tx *store.Tx) error {
		return tx.ForEach(Bucket, "", func(_ string, v []byte) error {
			r := new(record)
			if err := unmarshal(v, r); err != nil {
				return err
			}
			if in.EventSourceArn != "" && r.Config.EventSourceArn != in.EventSourceArn {
				return nil
			}
			if fnARN != "" && r.Config.FunctionArn != fnARN && unqualified(r.Config.FunctionArn) != fnARN {
				return nil
			}
			all = append(all, r)
			return nil
		})
	})
	if e := asAWS(err); e != nil {
		return nil, e
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Config.UUID < all[j].Config.UUID })
	out := &ListEventSourceMappingsOutput{EventSourceMappings: []*EventSourceMappingConfiguration{}}
	for _, r := range all {
		if in.Marker != "" && r.Config.UUID <= in.Marker {
			continue
		}
		if len(out.EventSourceMappings) == max {
			last := out.EventSourceMappings[max-1].UUID
			out.NextMarker = &last
			break
		}
		c := r.Config
		out.EventSourceMappings = append(out.EventSourceMappings, &c)
	}
	return out, nil
}

// UpdateEventSourceMapping: https://docs.aws.amazon.com/lambda/latest/api/API_UpdateEventSourceMapping.html
// The mapping goes through Updating (or Enabling/Disabling when only Enabled changes) and the
// poller restarts with the new settings when the transition completes.
func (s *Service) UpdateEventSourceMapping(ctx context.Context, in *UpdateEventSourceMappingInput) (*EventSourceMappingConfiguration, *awswire.Error) {
	if e := checkRanges(&in.Settings); e != nil {
		return nil, e
	}
	var cur *record
	err := s.cfg.Store.View(func(tx *store.Tx) error {
		var err error
		cur, err = s.get(tx, in.UUID)
		return err
	})
	if e := asAWS(err); e != nil {
		return nil, e
	}
	if cur.transitional() {
		return nil, inUse("update")
	}
	next := *cur
	next.Config.FunctionResponseTypes = append([]string{}, cur.Config.FunctionResponseTypes...)
	function := cur.FunctionName
	if in.FunctionName != nil && *in.FunctionName != "" {
		fn, e := s.cfg.Functions.ResolveFunction(*in.FunctionName, "")
		if e != nil && e.Code != "ResourceConflictException" {
			return nil, e
		}
		function = *in.FunctionName
		next.FunctionName = function
		next.Config.FunctionArn = fn.InvokedARN
		if next.Config.FunctionArn == "" {
			next.Config.FunctionArn = s.functionARN(function)
		}
	}
	apply(&next.Config, &in.Settings)
	if next.Config.FilterCriteria != nil && len(next.Config.FilterCriteria.Filters) == 0 {
		next.Config.FilterCriteria = nil
	}
	fifo, e := s.checkSource(next.Kind, next.Config.EventSourceArn)
	if e != nil {
		return nil, e
	}
	if e := checkConfig(next.Kind, fifo, &next.Config); e != nil {
		return nil, e
	}
	if e := s.checkRole(ctx, function, next.Kind, next.Config.EventSourceArn, &next.Config); e != nil {
		return nil, e
	}
	if in.Enabled != nil {
		next.Enabled = *in.Enabled
	}
	onlyEnabled := onlyEnabledGiven(&in.Settings)
	now := s.cfg.Clock.Now()
	switch {
	case onlyEnabled && next.Enabled && cur.Config.State == StateDisabled:
		next.Config.State = StateEnabling
	case onlyEnabled && !next.Enabled && cur.Config.State == StateEnabled:
		next.Config.State = StateDisabling
	default:
		next.Config.State = StateUpdating
	}
	next.Config.LastModified = epoch(now)
	next.Modified = now
	next.TransitionAt = now.Add(s.cfg.TransitionDelay)
	s.mu.Lock()
	err = s.cfg.Store.Update(func(tx *store.Tx) error {
		r, err := s.get(tx, in.UUID)
		if err != nil {
			return err
		}
		if r.transitional() {
			return abortWith(inUse("update"))
		}
		next.Config.LastProcessingResult = r.Config.LastProcessingResult
		return tx.Put(Bucket, in.UUID, &next)
	})
	s.mu.Unlock()
	if e := asAWS(err); e != nil {
		return nil, e
	}
	s.stopPoller(in.UUID)
	s.scheduleTransition(in.UUID, next.TransitionAt)
	out := next.Config
	return &out, nil
}

// DeleteEventSourceMapping: https://docs.aws.amazon.com/lambda/latest/api/API_DeleteEventSourceMapping.html
// The mapping stays in Deleting for the transition delay (a create of the same pair meanwhile is
// the 409 of SEMANTICS.md E5), then disappears.
func (s *Service) DeleteEventSourceMapping(_ context.Context, id string) (*EventSourceMappingConfiguration, *awswire.Error) {
	var out EventSourceMappingConfiguration
	now := s.cfg.Clock.Now()
	s.mu.Lock()
	err := s.cfg.Store.Update(func(tx *store.Tx) error {
		r, err := s.get(tx, id)
		if err != nil {
			return err
		}
		switch r.Config.State {
		case StateUpdating, StateCreating, StateEnabling, StateDisabling:
			return abortWith(inUse("delete"))
		case StateDeleting:
			out = r.Config
			return nil
		}
		r.Config.State = StateDeleting
		r.Config.LastModified = epoch(now)
		r.Modified = now
		r.TransitionAt = now.Add(s.cfg.TransitionDelay)
		out = r.Config
		return tx.Put(Bucket, id, r)
	})
	s.mu.Unlock()
	if e := asAWS(err); e != nil {
		return nil, e
	}
	s.stopPoller(id)
	s.scheduleTransition(id, now.Add(s.cfg.TransitionDelay))
	return &out, nil
}

// scheduleTransition completes the mapping's transition at the given time on the clock.
func (s *Service) scheduleTransition(id string, at time.Time) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		t := s.cfg.Clock.NewTimer(at.Sub(s.cfg.Clock.Now()))
		defer t.Stop()
		select {
		case <-t.C():
		case <-s.ctx.Done():
			return
		}
		s.completeTransition(id)
	}()
}

// completeTransition moves a mapping out of its transitional state and starts or stops its poller.
func (s *Service) completeTransition(id string) {
	var done *record
	s.mu.Lock()
	err := s.cfg.Store.Update(func(tx *store.Tx) error {
		r, err := s.get(tx, id)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if !r.transitional() || s.cfg.Clock.Now().Before(r.TransitionAt) {
			return nil // another transition took over
		}
		if r.Config.State == StateDeleting {
			var keys []string
			tx.ForEach(CheckpointBucket, id+"/", func(k string, _ []byte) error {
				keys = append(keys, k)
				return nil
			})
			for _, k := range keys {
				if err := tx.Delete(CheckpointBucket, k); err != nil {
					return err
				}
			}
			return tx.Delete(Bucket, id)
		}
		r.Config.State = StateDisabled
		if r.Enabled {
			r.Config.State = StateEnabled
		}
		done = r
		return tx.Put(Bucket, id, r)
	})
	s.mu.Unlock()
	if err != nil {
		s.cfg.Logger.Error("completing a mapping's state transition", "uuid", id, "error", err)
		return
	}
	if done != nil && done.Config.State == StateEnabled && s.ctx.Err() == nil {
		s.startPoller(done)
	}
}

// startPoller runs the mapping's poller until it is stopped.
func (s *Service) startPoller(r *record) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if old := s.pollers[r.Config.UUID]; old != nil {
		old.cancel()
	}
	ctx, cancel := context.WithCancel(s.ctx)
	run := &runner{cancel: cancel, done: make(chan struct{})}
	s.pollers[r.Config.UUID] = run
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer close(run.done)
		switch r.Kind {
		case KindSQS:
			newSQSPoller(s, r).run(ctx)
		case KindKinesis:
			src, ok := s.cfg.Kinesis.(KinesisReader)
			if !ok {
				s.setResult(r.Config.UUID, "PROBLEM: the Kinesis service offers no poller API")
				return
			}
			p := newStreamPoller(s, nil, r)
			p.src = &kinesisSource{api: src, stream: r.Config.EventSourceArn, region: regionOf(r.Config.EventSourceArn), role: p.role}
			p.run(ctx)
		case KindDynamoDB:
			src, ok := s.cfg.DynamoDB.(DynamoDBReader)
			if !ok {
				s.setResult(r.Config.UUID, "PROBLEM: the DynamoDB service offers no poller API")
				return
			}
			p := newStreamPoller(s, nil, r)
			p.src = &dynamoSource{api: src, stream: r.Config.EventSourceArn}
			p.run(ctx)
		}
	}()
}

// stopPoller stops the mapping's poller and waits for its batch in flight to finish.
func (s *Service) stopPoller(id string) {
	s.mu.Lock()
	run := s.pollers[id]
	delete(s.pollers, id)
	s.mu.Unlock()
	if run != nil {
		run.cancel()
		<-run.done
	}
}

// setResult records LastProcessingResult when it changes.
func (s *Service) setResult(id, result string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	err := s.cfg.Store.Update(func(tx *store.Tx) error {
		r, err := s.get(tx, id)
		if err != nil {
			return nil
		}
		if r.Config.LastProcessingResult == result {
			return nil
		}
		r.Config.LastProcessingResult = result
		return tx.Put(Bucket, id, r)
	})
	if err != nil {
		s.cfg.Logger.Error("recording a mapping's processing result", "uuid", id, "error", err)
	}
}

// functionARN is the ARN of a function given by name, ARN or partial ARN, keeping its qualifier.
func (s *Service) functionARN(name string) string {
	if strings.HasPrefix(name, "arn:") {
		return name
	}
	parts := strings.Split(name, ":")
	switch len(parts) {
	case 1:
		return fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s", s.cfg.Region, s.cfg.AccountID, name)
	case 2:
		return fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s:%s", s.cfg.Region, s.cfg.AccountID, parts[0], parts[1])
	case 3: // account:function:name
		return fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s", s.cfg.Region, parts[0], parts[2])
	}
	return name
}

// unqualified drops a function ARN's qualifier.
func unqualified(arn string) string {
	parts := strings.Split(arn, ":")
	if len(parts) > 7 {
		return strings.Join(parts[:7], ":")
	}
	return arn
}

// functionName is the name member of a function ARN.
func functionName(arn string) string {
	parts := strings.Split(arn, ":")
	if len(parts) >= 7 {
		return parts[6]
	}
	return arn
}

func epoch(t time.Time) awswire.Timestamp {
	return awswire.Timestamp(float64(t.UnixMilli()) / 1000)
}

// onlyEnabledGiven reports whether an update changes nothing but Enabled.
func onlyEnabledGiven(s *Settings) bool {
	c := *s
	c.Enabled = nil
	b, _ := json.Marshal(&c)
	return string(b) == "{}"
}
