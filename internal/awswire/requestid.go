package awswire

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/http"
)

type requestIDKey struct{}

// NewRequestID returns a random UUID (version 4), the form AWS request ids take.
func NewRequestID() string { return NewUUID() }

// NewUUID returns a random version-4 UUID (request ids, message ids, revision ids, event ids).
func NewUUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// WithRequestID gives every request an id, stored in its context and sent back in the
// x-amzn-RequestId header (and S3's x-amz-request-id), before any handler writes.
func WithRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := NewRequestID()
		w.Header().Set("X-Amzn-Requestid", id)
		w.Header().Set("X-Amz-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id)))
	})
}

// RequestID is the id WithRequestID gave the request, or a fresh one outside it.
func RequestID(ctx context.Context) string {
	if id, ok := ctx.Value(requestIDKey{}).(string); ok {
		return id
	}
	return NewRequestID()
}
