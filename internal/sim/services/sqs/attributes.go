package sqs

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

// Queue attributes: which exist, their ranges and defaults (API_CreateQueue, API_SetQueueAttributes,
// API_GetQueueAttributes as of sqs@v1.53.0).

// Computed attributes are answered by GetQueueAttributes and never set.
const (
	attrAll                     = "All"
	attrApproximateNumber       = "ApproximateNumberOfMessages"
	attrApproximateNotVisible   = "ApproximateNumberOfMessagesNotVisible"
	attrApproximateDelayed      = "ApproximateNumberOfMessagesDelayed"
	attrCreatedTimestamp        = "CreatedTimestamp"
	attrLastModifiedTimestamp   = "LastModifiedTimestamp"
	attrQueueArn                = "QueueArn"
	attrDelaySeconds            = "DelaySeconds"
	attrMaximumMessageSize      = "MaximumMessageSize"
	attrMessageRetentionPeriod  = "MessageRetentionPeriod"
	attrReceiveWaitTimeSeconds  = "ReceiveMessageWaitTimeSeconds"
	attrVisibilityTimeout       = "VisibilityTimeout"
	attrPolicy                  = "Policy"
	attrRedrivePolicy           = "RedrivePolicy"
	attrRedriveAllowPolicy      = "RedriveAllowPolicy"
	attrKmsMasterKeyID          = "KmsMasterKeyId"
	attrKmsDataKeyReusePeriod   = "KmsDataKeyReusePeriodSeconds"
	attrSqsManagedSseEnabled    = "SqsManagedSseEnabled"
	attrFifoQueue               = "FifoQueue"
	attrContentBasedDedup       = "ContentBasedDeduplication"
	attrDeduplicationScope      = "DeduplicationScope"
	attrFifoThroughputLimit     = "FifoThroughputLimit"
	defaultVisibilityTimeout    = 30
	defaultMessageRetention     = 345600 // 4 days
	defaultKmsDataKeyReuse      = 300
	minMessageRetention         = 60
	maxMessageRetention         = 1209600 // 14 days
	maxRedriveMaxReceiveCount   = 1000
	minKmsDataKeyReusePeriod    = 60
	maxKmsDataKeyReusePeriod    = 86400
	dedupScopeMessageGroup      = "messageGroup"
	dedupScopeQueue             = "queue"
	throughputPerQueue          = "perQueue"
	throughputPerMessageGroupID = "perMessageGroupId"
)

var computedAttributes = map[string]bool{
	attrApproximateNumber: true, attrApproximateNotVisible: true, attrApproximateDelayed: true,
	attrCreatedTimestamp: true, attrLastModifiedTimestamp: true, attrQueueArn: true,
}

type intRange struct{ min, max int }

var intAttributes = map[string]intRange{
	attrDelaySeconds:           {0, maxDelaySeconds},
	attrMaximumMessageSize:     {minMessageSizeCap, maxMessageSize},
	attrMessageRetentionPeriod: {minMessageRetention, maxMessageRetention},
	attrReceiveWaitTimeSeconds: {0, maxWaitSeconds},
	attrVisibilityTimeout:      {0, maxVisibility},
	attrKmsDataKeyReusePeriod:  {minKmsDataKeyReusePeriod, maxKmsDataKeyReusePeriod},
}

// defaultAttributes are a new queue's stored attributes.
func defaultAttributes(fifo bool) map[string]string {
	a := map[string]string{
		attrDelaySeconds:           "0",
		attrMaximumMessageSize:     strconv.Itoa(maxMessageSize),
		attrMessageRetentionPeriod: strconv.Itoa(defaultMessageRetention),
		attrReceiveWaitTimeSeconds: "0",
		attrVisibilityTimeout:      strconv.Itoa(defaultVisibilityTimeout),
		attrSqsManagedSseEnabled:   "true",
	}
	if fifo {
		a[attrFifoQueue] = "true"
		a[attrContentBasedDedup] = "false"
		a[attrDeduplicationScope] = dedupScopeQueue
		a[attrFifoThroughputLimit] = throughputPerQueue
	}
	return a
}

// redrivePolicy is the parsed RedrivePolicy attribute.
type redrivePolicy struct {
	DeadLetterTargetARN string `json:"deadLetterTargetArn"`
	MaxReceiveCount     int    `json:"maxReceiveCount"`
}

// queueConfig is a queue's attributes parsed for the hot paths.
type queueConfig struct {
	visibility    int64 // seconds
	delay         int64
	retention     int64
	maxSize       int
	wait          int64
	contentDedup  bool
	dedupPerGroup bool
	redrive       *redrivePolicy
}

func parseConfig(attrs map[string]string) queueConfig {
	num := func(name string, def int) int {
		if v, err := strconv.Atoi(attrs[name]); err == nil {
			return v
		}
		return def
	}
	c := queueConfig{
		visibility:    int64(num(attrVisibilityTimeout, defaultVisibilityTimeout)),
		delay:         int64(num(attrDelaySeconds, 0)),
		retention:     int64(num(attrMessageRetentionPeriod, defaultMessageRetention)),
		maxSize:       num(attrMaximumMessageSize, maxMessageSize),
		wait:          int64(num(attrReceiveWaitTimeSeconds, 0)),
		contentDedup:  attrs[attrContentBasedDedup] == "true",
		dedupPerGroup: attrs[attrDeduplicationScope] == dedupScopeMessageGroup,
	}
	if rp := attrs[attrRedrivePolicy]; rp != "" {
		var p redrivePolicy
		if json.Unmarshal([]byte(rp), &p) == nil && p.DeadLetterTargetARN != "" && p.MaxReceiveCount > 0 {
			c.redrive = &p
		}
	}
	return c
}

// queueLookup finds a queue by ARN; RedrivePolicy validation needs it.
type queueLookup func(arn string) (fifo bool, ok bool)

// normalizeAttributes validates attributes given to CreateQueue (create) or SetQueueAttributes and
// returns them in their stored form: numbers without padding, booleans lower-case, RedrivePolicy
// re-encoded. An empty Policy, RedrivePolicy, RedriveAllowPolicy or KmsMasterKeyId clears it and
// is returned as "".
func normalizeAttributes(attrs map[string]string, fifo, create bool, lookup queueLookup) (map[string]string, *awswire.Error) {
	out := make(map[string]string, len(attrs))
	for name, value := range attrs {
		v, e := normalizeAttribute(name, value, fifo, create, lookup)
		if e != nil {
			return nil, e
		}
		out[name] = v
	}
	return out, nil
}

func normalizeAttribute(name, value string, fifo, create bool, lookup queueLookup) (string, *awswire.Error) {
	if computedAttributes[name] || name == attrAll {
		return "", errUnknownAttribute(name)
	}
	if r, ok := intAttributes[name]; ok {
		n, err := strconv.Atoi(strings.TrimSpace(value))
		if err != nil || n < r.min || n > r.max {
			return "", errInvalidAttributeValue(name)
		}
		return strconv.Itoa(n), nil
	}
	switch name {
	case attrFifoQueue:
		if !create {
			return "", errUnknownAttribute(name)
		}
		return normalizeBool(name, value)
	case attrContentBasedDedup, attrDeduplicationScope, attrFifoThroughputLimit:
		if !fifo {
			if name == attrContentBasedDedup {
				return "", errUnknownAttribute(name)
			}
			return "", errInvalidAttributeName("You can specify the %s only when FifoQueue is set to true.", name)
		}
		switch name {
		case attrContentBasedDedup:
			return normalizeBool(name, value)
		case attrDeduplicationScope:
			if value != dedupScopeMessageGroup && value != dedupScopeQueue {
				return "", errInvalidAttributeValue(name)
			}
		default:
			if value != throughputPerQueue && value != throughputPerMessageGroupID {
				return "", errInvalidAttributeValue(name)
			}
		}
		return value, nil
	case attrSqsManagedSseEnabled:
		return normalizeBool(name, value)
	case attrKmsMasterKeyID:
		return value, nil
	case attrPolicy, attrRedriveAllowPolicy:
		if value == "" {
			return "", nil
		}
		var doc map[string]any
		if json.Unmarshal([]byte(value), &doc) != nil {
			return "", errInvalidAttributeValue(name)
		}
		return value, nil
	case attrRedrivePolicy:
		if value == "" {
			return "", nil
		}
		return normalizeRedrivePolicy(value, fifo, lookup)
	}
	return "", errUnknownAttribute(name)
}

func normalizeBool(name, value string) (string, *awswire.Error) {
	switch strings.ToLower(value) {
	case "true":
		return "true", nil
	case "false":
		return "false", nil
	}
	return "", errInvalidAttributeValue(name)
}

// normalizeRedrivePolicy checks {"deadLetterTargetArn": ..., "maxReceiveCount": 1..1000} (the count
// may be a number or a string, as Terraform and the console send it), that the target exists and
// is of the source's type (a FIFO queue's DLQ is FIFO), and answers AWS's compact form.
func normalizeRedrivePolicy(value string, fifo bool, lookup queueLookup) (string, *awswire.Error) {
	invalid := func(reason string) *awswire.Error { return errInvalidValue(value, attrRedrivePolicy, reason) }
	var raw map[string]any
	if err := json.Unmarshal([]byte(value), &raw); err != nil {
		return "", invalid("Redrive policy is not a valid JSON map.")
	}
	target, _ := raw["deadLetterTargetArn"].(string)
	if target == "" {
		return "", invalid("Redrive policy does not contain mandatory attribute: deadLetterTargetArn.")
	}
	countValue, present := raw["maxReceiveCount"]
	if !present {
		return "", invalid("Redrive policy does not contain mandatory attribute: maxReceiveCount.")
	}
	count, ok := 0, false
	switch c := countValue.(type) {
	case float64:
		count, ok = int(c), c == float64(int(c))
	case string:
		n, err := strconv.Atoi(c)
		count, ok = n, err == nil
	}
	if !ok || count < 1 || count > maxRedriveMaxReceiveCount {
		return "", invalid(fmt.Sprintf("Invalid value for maxReceiveCount: %v, valid values are from 1 to 1000 both inclusive.", countValue))
	}
	targetFIFO, exists := lookup(target)
	if !exists {
		return "", invalid("Dead letter target does not exist.")
	}
	if targetFIFO != fifo {
		return "", invalid("Dead-letter queue must be same type of queue as the source.")
	}
	out, _ := json.Marshal(redrivePolicy{DeadLetterTargetARN: target, MaxReceiveCount: count})
	return string(out), nil
}

// checkThroughput enforces "The perMessageGroupId value is allowed only when the value for
// DeduplicationScope is messageGroup" on the merged attributes.
func checkThroughput(attrs map[string]string) *awswire.Error {
	if attrs[attrFifoThroughputLimit] == throughputPerMessageGroupID && attrs[attrDeduplicationScope] != dedupScopeMessageGroup {
		return errInvalidAttributeValue(attrFifoThroughputLimit)
	}
	return nil
}

// mergeAttributes applies normalized changes to stored attributes; "" clears an optional one.
func mergeAttributes(stored, changes map[string]string) map[string]string {
	out := make(map[string]string, len(stored)+len(changes))
	for k, v := range stored {
		out[k] = v
	}
	for k, v := range changes {
		if v == "" {
			delete(out, k)
			continue
		}
		out[k] = v
	}
	return out
}
