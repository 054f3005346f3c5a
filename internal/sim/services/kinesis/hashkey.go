package kinesis

import (
	"crypto/md5"
	"math/big"
	"regexp"
)

// Hash keys are 128-bit unsigned integers written in decimal. A record goes to the open shard
// whose [StartingHashKey, EndingHashKey] holds its hash key: the MD5 of its partition key (UTF-8
// bytes) read as a big-endian integer, or its ExplicitHashKey (PutRecord reference).

var (
	hashKeySpace = new(big.Int).Lsh(big.NewInt(1), 128)                           // 2^128
	maxHashKey   = new(big.Int).Sub(hashKeySpace, big.NewInt(1))                  // 2^128-1
	hashKeyRE    = regexp.MustCompile(`^(?:0|[1-9][0-9]{0,38})$`)                 // the model's HashKey pattern
	seqNumberRE  = regexp.MustCompile(`^(?:0|[1-9][0-9]{0,128})$`)                // the model's SequenceNumber pattern
	streamNameRE = regexp.MustCompile(`^[a-zA-Z0-9_.-]+$`)                        // the model's StreamName and ShardId pattern
	streamARNRE  = regexp.MustCompile(`^arn:aws.*:kinesis:.*:\d{12}:stream/\S+$`) // the model's StreamARN pattern
)

// partitionHash is the hash key of a partition key.
func partitionHash(partitionKey string) *big.Int {
	sum := md5.Sum([]byte(partitionKey))
	return new(big.Int).SetBytes(sum[:])
}

// parseHashKey reads a decimal hash key; ok is false unless it matches the model's pattern.
// The value may still be 2^128 or more, which callers reject with AWS's range message.
func parseHashKey(s string) (*big.Int, bool) {
	if !hashKeyRE.MatchString(s) {
		return nil, false
	}
	n, ok := new(big.Int).SetString(s, 10)
	return n, ok
}

func inHashSpace(n *big.Int) bool {
	return n.Sign() >= 0 && n.Cmp(maxHashKey) <= 0
}

// uniformRanges splits the hash key space into n ranges as AWS does for a new stream: range i
// starts at i*floor(2^128/n) and the last one ends at 2^128-1. AWS's own DescribeStream example
// of a three-shard stream shows exactly these boundaries (0..113427455640312821154458202477256070484,
// 113427455640312821154458202477256070485..226854911280625642308916404954512140969, ...).
func uniformRanges(n int) [][2]*big.Int {
	return uniformRangesWithin(big.NewInt(0), maxHashKey, n)
}

// uniformRangesWithin splits [start, end] into n ranges the same way.
func uniformRangesWithin(start, end *big.Int, n int) [][2]*big.Int {
	width := new(big.Int).Sub(end, start)
	width.Add(width, big.NewInt(1))
	step := new(big.Int).Div(width, big.NewInt(int64(n)))
	out := make([][2]*big.Int, n)
	for i := 0; i < n; i++ {
		lo := new(big.Int).Mul(step, big.NewInt(int64(i)))
		lo.Add(lo, start)
		var hi *big.Int
		if i == n-1 {
			hi = new(big.Int).Set(end)
		} else {
			hi = new(big.Int).Add(lo, step)
			hi.Sub(hi, big.NewInt(1))
		}
		out[i] = [2]*big.Int{lo, hi}
	}
	return out
}

func mustBig(s string) *big.Int {
	n, ok := new(big.Int).SetString(s, 10)
	if !ok {
		panic("kinesis: stored hash key is not a number: " + s)
	}
	return n
}
