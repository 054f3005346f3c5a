package kinesis

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

// ListShardsInput is https://docs.aws.amazon.com/kinesis/latest/APIReference/API_ListShards.html
type ListShardsInput struct {
	StreamName              *string            `json:"StreamName"`
	StreamARN               *string            `json:"StreamARN"`
	NextToken               *string            `json:"NextToken"`
	ExclusiveStartShardID   *string            `json:"ExclusiveStartShardId"`
	MaxResults              *int32             `json:"MaxResults"`
	StreamCreationTimestamp *awswire.Timestamp `json:"StreamCreationTimestamp"`
	ShardFilter             *ShardFilter       `json:"ShardFilter"`
}

// ShardFilter is https://docs.aws.amazon.com/kinesis/latest/APIReference/API_ShardFilter.html
type ShardFilter struct {
	Type      string             `json:"Type"`
	ShardID   *string            `json:"ShardId"`
	Timestamp *awswire.Timestamp `json:"Timestamp"`
}

// ListShardsOutput is the answer of ListShards.
type ListShardsOutput struct {
	Shards    []Shard `json:"Shards"`
	NextToken string  `json:"NextToken,omitempty"`
}

var shardFilterTypes = []string{"AFTER_SHARD_ID", "AT_TRIM_HORIZON", "FROM_TRIM_HORIZON", "AT_LATEST", "AT_TIMESTAMP", "FROM_TIMESTAMP"}

// shardsToken is what a ListShards NextToken carries: where the next page starts and the
// filter of the first call. Tokens expire after 300 seconds (ListShards reference).
type shardsToken struct {
	Stream      string `json:"s"`
	Incarnation uint64 `json:"i"`
	After       string `json:"a"`
	Filter      string `json:"f,omitempty"`
	FilterMS    int64  `json:"t,omitempty"`
	IssuedMS    int64  `json:"n"`
}

const shardsTokenPrefix = "lsh1."

// ListShards lists the stream's unexpired shards, with their lineage, 1,000 at most per page.
func (s *Service) ListShards(_ context.Context, in *ListShardsInput) (*ListShardsOutput, *awswire.Error) {
	var v validation
	v.streamRef(in.StreamName, in.StreamARN)
	v.name(in.ExclusiveStartShardID, "exclusiveStartShardId")
	v.intRange(in.MaxResults, "maxResults", 1, 10000)
	if in.NextToken != nil && *in.NextToken == "" {
		v.fail(in.NextToken, "nextToken", constraintMinLen(1))
	}
	if f := in.ShardFilter; f != nil {
		if v.required(f.Type != "", "shardFilter.type") && !contains(shardFilterTypes, f.Type) {
			v.fail(f.Type, "shardFilter.type", constraintEnum(shardFilterTypes...))
		}
		v.name(f.ShardID, "shardFilter.shardId")
	}
	if e := v.err(); e != nil {
		return nil, e
	}
	named := deref(in.StreamName) != "" || deref(in.StreamARN) != ""
	tok := shardsToken{}
	nowMS := s.nowMS()
	switch {
	case in.NextToken != nil && named:
		return nil, errInvalidArgument("NextToken and StreamName cannot be provided together.")
	case in.NextToken != nil && in.ExclusiveStartShardID != nil:
		// ours: the rule is AWS's (ListShards reference), the text is not.
		return nil, errInvalidArgument("NextToken and ExclusiveStartShardId cannot be provided together.")
	case in.NextToken != nil:
		raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(*in.NextToken, shardsTokenPrefix))
		if err != nil || !strings.HasPrefix(*in.NextToken, shardsTokenPrefix) || json.Unmarshal(raw, &tok) != nil {
			return nil, errInvalidNextToken()
		}
		if nowMS-tok.IssuedMS > iteratorLifetime.Milliseconds() {
			return nil, errExpiredNextToken()
		}
	case !named:
		return nil, errInvalidArgument("Either NextToken or StreamName should be provided.")
	default:
		name, e := s.resolveStream(in.StreamName, in.StreamARN)
		if e != nil {
			return nil, e
		}
		tok.Stream = name
		tok.After = deref(in.ExclusiveStartShardID)
		if f := in.ShardFilter; f != nil {
			tok.Filter = f.Type
			switch f.Type {
			case "AFTER_SHARD_ID":
				if f.ShardID == nil {
					return nil, errInvalidArgument("ShardFilter of type AFTER_SHARD_ID requires a ShardId.") // ours
				}
				tok.After = max(tok.After, *f.ShardID)
			case "AT_TIMESTAMP", "FROM_TIMESTAMP":
				if f.Timestamp == nil {
					return nil, errInvalidArgument("ShardFilter of type %s requires a Timestamp.", f.Type) // ours
				}
				tok.FilterMS = timestampMS(*f.Timestamp)
			}
		}
	}
	limit := min(derefInt(in.MaxResults, defaultListShardLimit), defaultListShardLimit)
	out := &ListShardsOutput{Shards: []Shard{}}
	return out, s.withStream(tok.Stream, func(st *stream) *awswire.Error {
		switch {
		case tok.Incarnation != 0 && tok.Incarnation != st.rec.Incarnation:
			return errStreamNotFound(tok.Stream, s.cfg.AccountID)
		case in.StreamCreationTimestamp != nil && timestampMS(*in.StreamCreationTimestamp)/1000 != st.rec.CreatedMS/1000:
			return errStreamNotFound(tok.Stream, s.cfg.AccountID)
		case st.rec.Status == statusCreating:
			return errStreamNotActive(tok.Stream, s.cfg.AccountID, st.rec.Status)
		}
		tok.Incarnation = st.rec.Incarnation
		keep := shardFilter(st, tok.Filter, tok.FilterMS, nowMS)
		for _, sh := range st.shards {
			if sh.id <= tok.After || !keep(sh) {
				continue
			}
			if len(out.Shards) == limit {
				tok.After = out.Shards[len(out.Shards)-1].ShardID
				tok.IssuedMS = nowMS
				raw, _ := json.Marshal(tok)
				out.NextToken = shardsTokenPrefix + base64.RawURLEncoding.EncodeToString(raw)
				break
			}
			out.Shards = append(out.Shards, sh.wire())
		}
		return nil
	})
}

// shardFilter chooses the shards a ShardFilter type keeps (ShardFilter reference). Shards
// whose records have all expired are never listed.
func shardFilter(st *stream, kind string, atMS, nowMS int64) func(*shard) bool {
	earliest := nowMS
	for _, sh := range st.shards {
		earliest = min(earliest, sh.rec.CreatedMS)
	}
	trimHorizon := max(nowMS-st.retention().Milliseconds(), earliest)
	openAt := func(sh *shard, t int64) bool {
		return sh.rec.CreatedMS <= t && (sh.open() || sh.rec.ClosedMS >= t)
	}
	return func(sh *shard) bool {
		if st.expired(sh, nowMS) {
			return false
		}
		switch kind {
		case "AT_TRIM_HORIZON":
			return openAt(sh, trimHorizon)
		case "AT_LATEST":
			return sh.open()
		case "AT_TIMESTAMP":
			return openAt(sh, max(atMS, trimHorizon))
		case "FROM_TIMESTAMP":
			return sh.open() || sh.rec.ClosedMS >= max(atMS, trimHorizon)
		}
		return true // FROM_TRIM_HORIZON, AFTER_SHARD_ID, no filter
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
