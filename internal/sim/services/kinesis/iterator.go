package kinesis

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"time"
)

// A shard iterator is a position in one shard of one incarnation of a stream, plus the time it
// was handed out: AWS's expire 5 minutes after they are returned (GetShardIterator reference),
// and so do ours, on the service's Clock. The token is opaque to clients, as AWS's are: it starts
// with the eight bytes 0,0,0,0,0,0,0,1 that AWS's (base64 "AAAAAAAAAAE...") start with, and ends
// with an HMAC under a key kept in the store, so a forged or damaged token is "Invalid
// ShardIterator." and an iterator survives a restart of the simulator.

const iteratorLifetime = 5 * time.Minute

type shardIterator struct {
	incarnation uint64 // which stream of that name (a stream deleted and created again is another)
	stream      string
	shardIndex  int
	position    uint64 // the counter of the next record to return
	issuedMS    int64
}

var iteratorMagic = []byte{0, 0, 0, 0, 0, 0, 0, 1}

const iteratorMACLen = 16

func (s *Service) encodeIterator(it shardIterator) string {
	var b bytes.Buffer
	b.Write(iteratorMagic)
	var num [8]byte
	binary.BigEndian.PutUint64(num[:], it.incarnation)
	b.Write(num[:])
	binary.BigEndian.PutUint64(num[:], uint64(it.shardIndex))
	b.Write(num[:])
	binary.BigEndian.PutUint64(num[:], it.position)
	b.Write(num[:])
	binary.BigEndian.PutUint64(num[:], uint64(it.issuedMS))
	b.Write(num[:])
	b.WriteByte(byte(len(it.stream)))
	b.WriteString(it.stream)
	mac := hmac.New(sha256.New, s.iteratorKey)
	mac.Write(b.Bytes())
	b.Write(mac.Sum(nil)[:iteratorMACLen])
	return base64.StdEncoding.EncodeToString(b.Bytes())
}

var errBadIterator = errors.New("invalid shard iterator")

func (s *Service) decodeIterator(token string) (shardIterator, error) {
	raw, err := base64.StdEncoding.DecodeString(token)
	if err != nil {
		return shardIterator{}, errBadIterator
	}
	const fixed = 8 + 4*8 + 1
	if len(raw) < fixed+iteratorMACLen || !bytes.Equal(raw[:8], iteratorMagic) {
		return shardIterator{}, errBadIterator
	}
	body, sum := raw[:len(raw)-iteratorMACLen], raw[len(raw)-iteratorMACLen:]
	mac := hmac.New(sha256.New, s.iteratorKey)
	mac.Write(body)
	if !hmac.Equal(mac.Sum(nil)[:iteratorMACLen], sum) {
		return shardIterator{}, errBadIterator
	}
	nameLen := int(body[fixed-1])
	if len(body) != fixed+nameLen {
		return shardIterator{}, errBadIterator
	}
	return shardIterator{
		incarnation: binary.BigEndian.Uint64(body[8:16]),
		shardIndex:  int(binary.BigEndian.Uint64(body[16:24])),
		position:    binary.BigEndian.Uint64(body[24:32]),
		issuedMS:    int64(binary.BigEndian.Uint64(body[32:40])),
		stream:      string(body[fixed:]),
	}, nil
}

// amzTime is the form of times in AWS's ExpiredIteratorException text: "Thu Jan 22 01:22:02 UTC 2015".
func amzTime(ms int64) string {
	return time.UnixMilli(ms).UTC().Format("Mon Jan 02 15:04:05 UTC 2006")
}
