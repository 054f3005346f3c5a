package events

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

func epoch(t time.Time) awswire.Timestamp {
	return awswire.Timestamp(float64(t.UnixMilli()) / 1000)
}

func unmarshal(data []byte, v any) error { return json.Unmarshal(data, v) }

// pageLimit reads a Limit member (1-100, default 100).
func pageLimit(limit *int) (int, *awswire.Error) {
	if limit == nil {
		return 100, nil
	}
	if *limit < 1 || *limit > 100 {
		return 0, errConstraint(*limit, "limit", "Member must have value between 1 and 100")
	}
	return *limit, nil
}

// Pagination tokens carry the last key listed, so a listing resumes after it.
func encodeToken(lastKey string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(lastKey))
}

func decodeToken(token string) (string, *awswire.Error) {
	if token == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return "", errValidation("The NextToken provided is invalid.")
	}
	return string(b), nil
}

// newUUID returns a random version 4 UUID, the form of EventBridge event ids.
func newUUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
