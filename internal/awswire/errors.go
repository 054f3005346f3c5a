package awswire

import (
	"fmt"
	"net/http"
)

// Error is an AWS API error: the HTTP status, the error code clients switch on, and a message.
// Each protocol writes it in its own shape (WriteRestJSONError, WriteJSONError, WriteQueryError).
type Error struct {
	Status  int
	Code    string // e.g. "ResourceNotFoundException"
	Message string
	// Server marks a fault of the service (Type "Service"/"Receiver") rather than of the caller.
	Server bool
	// MessageKey is the JSON member that carries the message: "message" unless the service's model
	// names it "Message" (Lambda's models differ per exception).
	MessageKey string
	// Fields are extra members of the error body (Lambda's Reason, retryAfterSeconds, ...).
	Fields map[string]any
	// Headers are extra response headers (Retry-After, ...).
	Headers map[string]string
	// QueryCode is the awsQuery-compatible code that JSON services which migrated from the query
	// protocol (SQS) also send in the x-amzn-query-error header, e.g. "AWS.SimpleQueueService.NonExistentQueue".
	QueryCode string
}

// Errorf builds a client-side Error.
func Errorf(status int, code, format string, args ...any) *Error {
	return &Error{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

// InternalError is the shape of an unexpected failure inside the simulator.
func InternalError(err error) *Error {
	return &Error{Status: http.StatusInternalServerError, Code: "ServiceException", Message: err.Error(), Server: true}
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// WithField returns e with one more body member.
func (e *Error) WithField(key string, value any) *Error {
	if e.Fields == nil {
		e.Fields = map[string]any{}
	}
	e.Fields[key] = value
	return e
}

// WithMessageKey returns e with its message in the named JSON member.
func (e *Error) WithMessageKey(key string) *Error {
	e.MessageKey = key
	return e
}

func (e *Error) messageKey() string {
	if e.MessageKey == "" {
		return "message"
	}
	return e.MessageKey
}

func (e *Error) writeHeaders(w http.ResponseWriter) {
	for k, v := range e.Headers {
		w.Header().Set(k, v)
	}
}
