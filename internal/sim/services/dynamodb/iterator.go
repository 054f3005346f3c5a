package dynamodb

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"
)

// iteratorLifetime: "A shard iterator expires 15 minutes after it is returned to the requester"
// (GetShardIterator reference).
const iteratorLifetime = 15 * time.Minute

// A shard iterator names a position in a shard: after the record with sequence counter Pos. It is
// self-contained, signed with a key kept in the store (so iterators survive a restart and cannot be
// forged), and carries its creation time for expiry. Its form imitates AWS's:
// "<stream ARN>|1|<opaque>".
type iteratorState struct {
	Stream    string `json:"a"`
	Shard     string `json:"s"`
	Pos       uint64 `json:"p"`
	CreatedMS int64  `json:"t"`
}

func (s *Service) encodeIterator(st iteratorState) string {
	payload, _ := json.Marshal(st)
	mac := hmac.New(sha256.New, s.iteratorKey)
	mac.Write(payload)
	sig := mac.Sum(nil)[:16]
	return st.Stream + "|1|" + base64.StdEncoding.EncodeToString(append(sig, payload...))
}

func (s *Service) decodeIterator(it string) (iteratorState, bool) {
	i := strings.LastIndex(it, "|1|")
	if i < 0 {
		return iteratorState{}, false
	}
	data, err := base64.StdEncoding.DecodeString(it[i+3:])
	if err != nil || len(data) < 16 {
		return iteratorState{}, false
	}
	sig, payload := data[:16], data[16:]
	mac := hmac.New(sha256.New, s.iteratorKey)
	mac.Write(payload)
	if !hmac.Equal(sig, mac.Sum(nil)[:16]) {
		return iteratorState{}, false
	}
	var st iteratorState
	if err := json.Unmarshal(payload, &st); err != nil || st.Stream != it[:i] {
		return iteratorState{}, false
	}
	return st, true
}
