package async

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
	"strconv"
	"strings"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/deliver"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/invoke"
	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/sim/services/lambda/eventconfig"
)

// Principal is who delivers destinations and dead letters: Lambda itself, acting with the
// function's execution role.
const Principal = "lambda.amazonaws.com"

// maxDLQErrorMessage is how much of the error message the ErrorMessage attribute carries.
const maxDLQErrorMessage = 1024

// allowed checks the execution role's permission for one delivery; it returns "" when allowed,
// or the Destination text of the denial.
func (q *Queue) allowed(ev invoke.Event, action, arn string) string {
	if q.cfg.Roles == nil {
		return ""
	}
	role := q.role(ev)
	ok, reason, err := q.cfg.Roles.Allowed(q.ctx, role, action, arn)
	if err != nil {
		q.cfg.Logger.Error("async: checking the execution role", "role", role, "action", action, "resource", arn, "error", err)
		return fmt.Sprintf("failed: checking %s on %s: %v", action, arn, err)
	}
	if ok {
		return ""
	}
	q.cfg.Logger.Warn("async: the execution role may not deliver", "requestId", ev.RequestID, "function", ev.FunctionName,
		"role", role, "action", action, "resource", arn, "reason", reason)
	return fmt.Sprintf("denied: %s on %s", action, arn)
}

// toDestination delivers a record to an OnSuccess or OnFailure destination and returns the
// Destination text for the invocation log.
func (q *Queue) toDestination(ev invoke.Event, arn string, record []byte, success bool) string {
	t, err := eventconfig.ParseDestination(arn, !success)
	if err != nil {
		q.cfg.Logger.Error("async: invalid destination", "destination", arn, "error", err)
		return "failed: " + err.Error()
	}
	if denied := q.allowed(ev, t.Action, arn); denied != "" {
		return denied
	}
	m := deliver.Message{TargetARN: arn, Body: record}
	switch {
	case t.Kind == eventconfig.KindEvents:
		m.Body = eventBridgeEntry(record, success, qualifiedARN(ev), arn)
	case t.Kind == eventconfig.KindSNS && len(record) > maxSNSRecord:
		m.Body = withoutPayloads(record)
	case t.Kind == eventconfig.KindS3:
		m.ObjectKey = s3RecordKey(ev.FunctionName, q.cfg.Clock.Now())
	}
	return q.send(ev, string(t.Kind), m)
}

// s3RecordKey is where Lambda writes a failure record in an S3 destination:
// aws/lambda/async/<function-name>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<random UUID>
// (invocation-async-retain-records, the S3 row of the destinations table).
func s3RecordKey(function string, at time.Time) string {
	at = at.UTC()
	return "aws/lambda/async/" + function + "/" + at.Format("2006/01/02") + "/" + at.Format("2006-01-02T15.04.05") + "-" + awswire.NewRequestID()
}

// toDeadLetter sends the original event to the function's dead-letter queue or topic with
// AWS's three attributes.
func (q *Queue) toDeadLetter(ev invoke.Event, st state, arn string) string {
	action := "sqs:SendMessage"
	if strings.HasPrefix(arn, "arn:aws:sns:") {
		action = "sns:Publish"
	}
	if denied := q.allowed(ev, action, arn); denied != "" {
		return "dlq " + denied
	}
	code, msg := 200, ""
	if st.Last != nil {
		code, msg = st.Last.StatusCode, errorMessage(st.Last)
	}
	if len(msg) > maxDLQErrorMessage {
		msg = msg[:maxDLQErrorMessage]
	}
	return q.send(ev, "dlq", deliver.Message{
		TargetARN: arn,
		Body:      ev.Payload,
		Attributes: map[string]deliver.Attribute{
			"RequestID":    {DataType: "String", StringValue: ev.RequestID},
			"ErrorCode":    {DataType: "Number", StringValue: strconv.Itoa(code)},
			"ErrorMessage": {DataType: "String", StringValue: msg},
		},
	})
}

// errorMessage is the error of the last attempt: the function's errorMessage, or the invocation
// error's message.
func errorMessage(o *outcome) string {
	if o.FunctionError != "" {
		var body struct {
			ErrorMessage string `json:"errorMessage"`
		}
		if json.Unmarshal(o.Payload, &body) == nil && body.ErrorMessage != "" {
			return body.ErrorMessage
		}
		return string(o.Payload)
	}
	return o.ErrorMessage
}

func (q *Queue) send(ev invoke.Event, kind string, m deliver.Message) string {
	if q.cfg.Bus == nil {
		return "failed: no delivery bus"
	}
	m.Principal = Principal
	m.SourceARN = unqualified(ev.FunctionARN)
	m.SourceAccount = q.cfg.AccountID
	if err := q.cfg.Bus.Deliver(context.WithoutCancel(q.ctx), m); err != nil {
		q.cfg.Logger.Warn("async: delivery failed", "requestId", ev.RequestID, "function", ev.FunctionName, "target", m.TargetARN, "error", err)
		return fmt.Sprintf("failed: %s:%s: %v", kind, m.TargetARN, err)
	}
	return describe(kind, m.TargetARN)
}

// unqualified strips a version or alias from a function ARN.
func unqualified(arn string) string {
	parts := strings.Split(arn, ":")
	if len(parts) > 7 {
		return strings.Join(parts[:7], ":")
	}
	return arn
}
