package events

import (
	"encoding/json"
	"sync"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/pattern"
)

// Store layout: every bucket lives under "events/".
const (
	bucketBuses      = "events/buses"      // bus name -> busRecord
	bucketRules      = "events/rules"      // ruleKey(bus, name) -> ruleRecord
	bucketTargets    = "events/targets"    // targetKey(bus, rule, id) -> targetRecord
	bucketDeliveries = "events/deliveries" // store.SeqKey(n) -> deliveryRecord
)

// keySep separates key parts; it cannot appear in bus, rule or target names.
const keySep = "|"

func ruleKey(bus, name string) string { return bus + keySep + name }

func targetPrefix(bus, rule string) string { return bus + keySep + rule + keySep }

type busRecord struct {
	Name        string            `json:"name"`
	ARN         string            `json:"arn"`
	Description string            `json:"description,omitempty"`
	Created     time.Time         `json:"created"`
	Modified    time.Time         `json:"modified"`
	Tags        map[string]string `json:"tags,omitempty"`
}

type ruleRecord struct {
	Name               string            `json:"name"`
	Bus                string            `json:"bus"`
	ARN                string            `json:"arn"`
	EventPattern       string            `json:"eventPattern,omitempty"`
	ScheduleExpression string            `json:"scheduleExpression,omitempty"`
	State              string            `json:"state"`
	Description        string            `json:"description,omitempty"`
	RoleARN            string            `json:"roleArn,omitempty"`
	Tags               map[string]string `json:"tags,omitempty"`
	Created            time.Time         `json:"created"`
	// NextFire is the next time a scheduled rule fires; zero when it is not scheduled, is
	// disabled, or has no future occurrence.
	NextFire time.Time `json:"nextFire,omitzero"`
}

func (r *ruleRecord) enabled() bool { return r.State != stateDisabled }

const (
	stateEnabled  = "ENABLED"
	stateDisabled = "DISABLED"
)

// targetRecord is a target as the client sent it (Raw, echoed by ListTargetsByRule) and the
// parsed fields the simulator acts on.
type targetRecord struct {
	Raw  json.RawMessage `json:"raw"`
	Spec targetSpec      `json:"spec"`
}

// targetSpec is the part of a Target that EventBridge executes.
// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Target.html
type targetSpec struct {
	ID               string            `json:"Id"`
	ARN              string            `json:"Arn"`
	RoleARN          string            `json:"RoleArn,omitempty"`
	Input            *string           `json:"Input,omitempty"`
	InputPath        *string           `json:"InputPath,omitempty"`
	InputTransformer *inputTransformer `json:"InputTransformer,omitempty"`
	RetryPolicy      *retryPolicy      `json:"RetryPolicy,omitempty"`
	DeadLetterConfig *deadLetterConfig `json:"DeadLetterConfig,omitempty"`
	SqsParameters    *struct {
		MessageGroupID string `json:"MessageGroupId,omitempty"`
	} `json:"SqsParameters,omitempty"`
}

type inputTransformer struct {
	InputPathsMap map[string]string `json:"InputPathsMap,omitempty"`
	InputTemplate string            `json:"InputTemplate"`
}

type retryPolicy struct {
	MaximumRetryAttempts     *int `json:"MaximumRetryAttempts,omitempty"`
	MaximumEventAgeInSeconds *int `json:"MaximumEventAgeInSeconds,omitempty"`
}

type deadLetterConfig struct {
	ARN string `json:"Arn,omitempty"`
}

// AWS's defaults for a target without a RetryPolicy.
const (
	defaultMaxRetries = 185
	defaultMaxAge     = 24 * time.Hour
)

// deliveryRecord is one event waiting to be handed to one target.
type deliveryRecord struct {
	Key            string    `json:"key"`
	EventID        string    `json:"eventId"`
	RuleARN        string    `json:"ruleArn"`
	TargetID       string    `json:"targetId"`
	TargetARN      string    `json:"targetArn"`
	Body           string    `json:"body"`  // what the target receives
	Event          string    `json:"event"` // the original event, for the DLQ
	MessageGroupID string    `json:"messageGroupId,omitempty"`
	DLQ            string    `json:"dlq,omitempty"`
	MaxRetries     int       `json:"maxRetries"`
	MaxAge         int       `json:"maxAgeSeconds"`
	Attempts       int       `json:"attempts"`
	Ingested       time.Time `json:"ingested"`
	NextAt         time.Time `json:"nextAt"`
	LastCode       string    `json:"lastCode,omitempty"`
	LastMessage    string    `json:"lastMessage,omitempty"`
}

// patternCache keeps compiled event patterns by their text.
type patternCache struct {
	mu sync.Mutex
	m  map[string]*pattern.Pattern
}

func (c *patternCache) get(text string) (*pattern.Pattern, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if p, ok := c.m[text]; ok {
		return p, nil
	}
	p, err := pattern.Compile(text)
	if err != nil {
		return nil, err
	}
	if c.m == nil {
		c.m = map[string]*pattern.Pattern{}
	}
	if len(c.m) > 10000 {
		clear(c.m)
	}
	c.m[text] = p
	return p, nil
}
