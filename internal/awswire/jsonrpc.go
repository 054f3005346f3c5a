package awswire

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// JSONOp is one operation of an awsJson service: it decodes its own input from the body and
// returns its output (encoded as JSON) or an AWS error.
type JSONOp func(ctx context.Context, body []byte) (any, *Error)

// Op adapts a typed operation to a JSONOp: the body is decoded into In (an empty body is {}), and
// a body that is not JSON answers SerializationException as AWS's JSON services do.
func Op[In any, Out any](fn func(ctx context.Context, in *In) (*Out, *Error)) JSONOp {
	return func(ctx context.Context, body []byte) (any, *Error) {
		in := new(In)
		if err := DecodeJSON(body, in); err != nil {
			return nil, &Error{Status: http.StatusBadRequest, Code: "SerializationException", Message: "Start of structure or map found where not expected, or the body is not valid JSON: " + err.Error()}
		}
		out, e := fn(ctx, in)
		if e != nil {
			return nil, e
		}
		if out == nil {
			return struct{}{}, nil
		}
		return out, nil
	}
}

// JSONService is the one dispatcher of every awsJson 1.0/1.1 service (SQS, Kinesis, DynamoDB,
// EventBridge, CloudWatch Logs, ...): X-Amz-Target "<TargetPrefix><Operation>" picks the operation.
type JSONService struct {
	// Version is the protocol version: "1.0" or "1.1".
	Version string
	// TargetPrefix is the X-Amz-Target prefix, including its dot, e.g. "AmazonSQS.".
	TargetPrefix string
	// Namespace prefixes error codes in __type, e.g. "com.amazonaws.sqs"; "" sends bare codes.
	Namespace string
	// MaxBody bounds a request body; 0 means 16 MiB.
	MaxBody int64
	// Ops maps operation names to their implementations.
	Ops map[string]JSONOp
	// UnknownOperation builds the error for a target not in Ops; nil gives
	// UnknownOperationException as most JSON services answer.
	UnknownOperation func(op string) *Error
}

func (s *JSONService) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	target := r.Header.Get("X-Amz-Target")
	opName, ok := strings.CutPrefix(target, s.TargetPrefix)
	op := s.Ops[opName]
	if !ok || op == nil {
		e := &Error{Status: http.StatusBadRequest, Code: "UnknownOperationException", Message: fmt.Sprintf("Operation %q is not supported by the lambdatrigger simulator.", target)}
		if s.UnknownOperation != nil {
			e = s.UnknownOperation(opName)
		}
		s.WriteError(w, e)
		return
	}
	limit := s.MaxBody
	if limit == 0 {
		limit = 16 << 20
	}
	body, err := ReadBody(r, limit)
	if err != nil {
		if errors.Is(err, ErrBodyTooLarge) {
			s.WriteError(w, &Error{Status: http.StatusRequestEntityTooLarge, Code: "RequestEntityTooLarge", Message: fmt.Sprintf("Request body larger than %d bytes", limit)})
			return
		}
		s.WriteError(w, &Error{Status: http.StatusBadRequest, Code: "SerializationException", Message: err.Error()})
		return
	}
	out, e := op(r.Context(), body)
	if e != nil {
		s.WriteError(w, e)
		return
	}
	WriteAWSJSON(w, s.Version, http.StatusOK, out)
}

// WriteError writes e in this service's JSON error shape.
func (s *JSONService) WriteError(w http.ResponseWriter, e *Error) {
	WriteJSONError(w, s.Version, s.Namespace, e)
}

// Timestamp is a time in the awsJson protocols' form: epoch seconds as a JSON number, with
// fractional milliseconds.
type Timestamp float64

// UnmarshalJSON accepts epoch seconds as a number (the protocol's form) or a string.
func (t *Timestamp) UnmarshalJSON(b []byte) error {
	var f float64
	if err := json.Unmarshal(b, &f); err == nil {
		*t = Timestamp(f)
		return nil
	}
	var s json.Number
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	f, err := s.Float64()
	*t = Timestamp(f)
	return err
}
