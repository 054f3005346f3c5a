package sqs

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"strconv"
	"strings"
)

// A receipt handle names one receive of one message: the queue's store id, the message's sequence
// number and the receive's token, plus random bytes so that handles look as opaque as AWS's. It is
// base64 (standard alphabet, as AWS's handles are), and everything in it is checked on the way in.
type receipt struct {
	queueID string
	seq     uint64
	tok     uint64
}

const handlePrefix = "lt1"

func encodeHandle(r receipt) string {
	var nonce [12]byte
	rand.Read(nonce[:])
	raw := handlePrefix + ":" + r.queueID + ":" + strconv.FormatUint(r.seq, 10) + ":" +
		strconv.FormatUint(r.tok, 16) + ":" + hex.EncodeToString(nonce[:])
	return base64.StdEncoding.EncodeToString([]byte(raw))
}

// decodeHandle parses a receipt handle; ok is false for anything this simulator did not issue.
func decodeHandle(h string) (receipt, bool) {
	if len(h) > 1024 {
		return receipt{}, false
	}
	raw, err := base64.StdEncoding.DecodeString(h)
	if err != nil {
		return receipt{}, false
	}
	parts := strings.Split(string(raw), ":")
	if len(parts) != 5 || parts[0] != handlePrefix || !validQueueID(parts[1]) {
		return receipt{}, false
	}
	seq, err1 := strconv.ParseUint(parts[2], 10, 64)
	tok, err2 := strconv.ParseUint(parts[3], 16, 64)
	if err1 != nil || err2 != nil || tok == 0 || seq == 0 {
		return receipt{}, false
	}
	return receipt{queueID: parts[1], seq: seq, tok: tok}, true
}

// newToken is a receive's token: random, never zero (zero means "never received").
func newToken() uint64 {
	for {
		var b [8]byte
		rand.Read(b[:])
		if t := binary.BigEndian.Uint64(b[:]); t != 0 {
			return t
		}
	}
}

// newQueueID names a queue's store bucket: 16 hex digits.
func newQueueID() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func validQueueID(id string) bool {
	if len(id) != 16 {
		return false
	}
	_, err := hex.DecodeString(id)
	return err == nil
}

// newMessageID is a random UUID, the form of AWS message ids.
func newMessageID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return hex.EncodeToString(b[0:4]) + "-" + hex.EncodeToString(b[4:6]) + "-" + hex.EncodeToString(b[6:8]) + "-" +
		hex.EncodeToString(b[8:10]) + "-" + hex.EncodeToString(b[10:16])
}
