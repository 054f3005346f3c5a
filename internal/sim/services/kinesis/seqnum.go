package kinesis

import (
	"errors"
	"fmt"
	"math/big"
	"strconv"
)

// Sequence numbers are the decimal form of a 186-bit number laid out, in hex digits, as AWS's
// are: AWS's own examples (e.g. 49600871682957036442365024926191073437251060580128653314, the
// StartingSequenceNumber of shardId-000000000000 in the DescribeStream CLI example) decode to
//
//	2 | 05db759cd | 0 | 0000000000000000 | 00 | 05db759cd | 00000000 | 2
//	  | shard creation, epoch s | shard index, low digit | per-shard counter | ?? | record time, epoch s | shard index | 2
//
// which is also the layout kinesalite reverse-engineered. Every number is therefore 56 decimal
// digits starting with "49", and within a shard the counter (above the time) makes them strictly
// increasing, so clients that compare them as big integers, or as equal-length strings, get AWS's
// order. Counter 0 is the shard's StartingSequenceNumber; records count from 1.
//
// The counter never repeats within a shard: it is stored with the records it numbers (see
// commit.go), so a restart continues above the last acknowledged record.

type seqParts struct {
	shardCreated int64  // shard creation, epoch seconds
	shardIndex   int    // the N of shardId-N
	counter      uint64 // 0 for the shard's start, then 1, 2, ... per record
	recordTime   int64  // record arrival (or shard creation for counter 0), epoch seconds
}

const (
	seqHexDigits = 47
	maxCounter   = 1<<63 - 1 // the counter field's first hex digit stays below 8, as in AWS's
	maxSeqSecs   = 1<<36 - 1 // nine hex digits
)

func (p seqParts) String() string {
	hex := fmt.Sprintf("2%09x%x%016x00%09x%08x2",
		p.shardCreated&maxSeqSecs, p.shardIndex&0xf, p.counter, p.recordTime&maxSeqSecs, uint32(p.shardIndex))
	n, _ := new(big.Int).SetString(hex, 16)
	return n.String()
}

var errBadSequence = errors.New("not a sequence number of this simulator")

// parseSeq reads a sequence number written by String.
func parseSeq(s string) (seqParts, error) {
	if !seqNumberRE.MatchString(s) {
		return seqParts{}, errBadSequence
	}
	n, ok := new(big.Int).SetString(s, 10)
	if !ok {
		return seqParts{}, errBadSequence
	}
	hex := n.Text(16)
	if len(hex) != seqHexDigits || hex[0] != '2' || hex[len(hex)-1] != '2' || hex[27:29] != "00" {
		return seqParts{}, errBadSequence
	}
	created, err1 := strconv.ParseInt(hex[1:10], 16, 64)
	low, err2 := strconv.ParseUint(hex[10:11], 16, 8)
	counter, err3 := strconv.ParseUint(hex[11:27], 16, 64)
	recorded, err4 := strconv.ParseInt(hex[29:38], 16, 64)
	index, err5 := strconv.ParseUint(hex[38:46], 16, 32)
	if err := errors.Join(err1, err2, err3, err4, err5); err != nil || counter > maxCounter || index&0xf != low {
		return seqParts{}, errBadSequence
	}
	return seqParts{shardCreated: created, shardIndex: int(index), counter: counter, recordTime: recorded}, nil
}

// CompareSequenceNumbers orders two sequence numbers of the same shard as AWS does, by their
// value as integers: -1, 0 or +1. Strings that are not numbers sort before numbers.
func CompareSequenceNumbers(a, b string) int {
	x, okA := new(big.Int).SetString(a, 10)
	y, okB := new(big.Int).SetString(b, 10)
	switch {
	case !okA && !okB:
		return 0
	case !okA:
		return -1
	case !okB:
		return 1
	}
	return x.Cmp(y)
}
