package events

import (
	"encoding/base64"
	"encoding/json"
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
