package s3

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"hash"
	"hash/crc32"
	"hash/crc64"
	"net/http"
	"strconv"
	"strings"

	"github.com/lambdatrigger/terraform-provider-lambdatrigger/internal/awswire"
)

// Object integrity checksums (https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html).
// A client sends one in an x-amz-checksum-<algorithm> header or, with aws-chunked bodies, in a
// trailer named by x-amz-trailer; S3 verifies it, stores it and returns it with
// x-amz-checksum-mode: ENABLED. Values are base64 of the big-endian checksum or digest.

// checksumValue is a stored checksum.
type checksumValue struct {
	Algorithm string `json:"algorithm"` // CRC32, CRC32C, CRC64NVME, SHA1, SHA256, MD5, SHA512
	Value     string `json:"value"`     // base64
	// Type is FULL_OBJECT, or COMPOSITE for a multipart upload's checksum of part checksums.
	Type string `json:"type"`
}

// header is the checksum's header name, e.g. x-amz-checksum-crc32.
func (c *checksumValue) header() string { return "x-amz-checksum-" + strings.ToLower(c.Algorithm) }

// crc64NVME is CRC-64/NVME: the reflected polynomial 0x9a6c9329ac4bc9b5 with initial value and
// final XOR of all ones, which is exactly how hash/crc64 computes with a reflected table.
var crc64NVME = crc64.MakeTable(0x9a6c9329ac4bc9b5)

// checksumAlgorithms maps the algorithm part of x-amz-checksum-<algorithm> to a hash. The XXHASH
// family that S3 added in 2025 has no implementation in the standard library and is refused.
var checksumAlgorithms = map[string]func() hash.Hash{
	"CRC32":     func() hash.Hash { return crc32.NewIEEE() },
	"CRC32C":    func() hash.Hash { return crc32.New(crc32.MakeTable(crc32.Castagnoli)) },
	"CRC64NVME": func() hash.Hash { return crc64.New(crc64NVME) },
	"SHA1":      sha1.New,
	"SHA256":    sha256.New,
	"SHA512":    sha512.New,
	"MD5":       md5.New,
}

// computeChecksum returns the base64 checksum of data with algorithm (upper case).
func computeChecksum(algorithm string, data []byte) string {
	h := checksumAlgorithms[algorithm]()
	h.Write(data)
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// checksumLength is the decoded size of a valid value of algorithm.
func checksumLength(algorithm string) int { return checksumAlgorithms[algorithm]().Size() }

// requestedChecksum finds the checksum a request carries: in a header, or announced by
// x-amz-trailer and read from the aws-chunked trailers. It returns nil when the request has none.
func requestedChecksum(h http.Header, trailers http.Header) (*checksumValue, *awswire.Error) {
	var found []*checksumValue
	add := func(name, value string) *awswire.Error {
		alg := strings.ToUpper(strings.TrimPrefix(strings.ToLower(name), "x-amz-checksum-"))
		switch alg {
		case "MODE", "TYPE", "ALGORITHM":
			return nil
		}
		if checksumAlgorithms[alg] == nil {
			if strings.HasPrefix(alg, "XXHASH") {
				return errNotImplemented("the " + alg + " checksum algorithm")
			}
			return errInvalidRequest("Value for x-amz-checksum-%s header is invalid.", strings.ToLower(alg))
		}
		found = append(found, &checksumValue{Algorithm: alg, Value: strings.TrimSpace(value), Type: "FULL_OBJECT"})
		return nil
	}
	for name, values := range h {
		if strings.HasPrefix(strings.ToLower(name), "x-amz-checksum-") && len(values) > 0 {
			if e := add(name, values[0]); e != nil {
				return nil, e
			}
		}
	}
	if announced := h.Get("X-Amz-Trailer"); announced != "" {
		for _, name := range strings.Split(announced, ",") {
			name = strings.TrimSpace(name)
			if !strings.HasPrefix(strings.ToLower(name), "x-amz-checksum-") {
				continue
			}
			value := trailers.Get(name)
			if value == "" {
				return nil, errInvalidRequest("The request did not contain the trailing checksum %s it announced in x-amz-trailer.", strings.ToLower(name))
			}
			if e := add(name, value); e != nil {
				return nil, e
			}
		}
	}
	switch len(found) {
	case 0:
		return nil, nil
	case 1:
		return found[0], nil
	}
	return nil, errMultipleChecksums()
}

// verifyChecksum checks a client's checksum against the bytes received.
func verifyChecksum(c *checksumValue, data []byte) *awswire.Error {
	raw, err := base64.StdEncoding.DecodeString(c.Value)
	if err != nil || len(raw) != checksumLength(c.Algorithm) {
		return errInvalidChecksum(c.Algorithm)
	}
	if computeChecksum(c.Algorithm, data) != c.Value {
		return errBadChecksum(c.Algorithm)
	}
	return nil
}

// verifyContentMD5 checks the Content-MD5 header, if any, against the bytes' MD5.
func verifyContentMD5(h http.Header, sum [16]byte) *awswire.Error {
	v, ok := h["Content-Md5"]
	if !ok {
		return nil
	}
	value := ""
	if len(v) > 0 {
		value = strings.TrimSpace(v[0])
	}
	raw, err := base64.StdEncoding.DecodeString(value)
	if err != nil || len(raw) != md5.Size {
		return errInvalidDigest(value)
	}
	calculated := base64.StdEncoding.EncodeToString(sum[:])
	if calculated != value {
		return errBadDigest(value, calculated)
	}
	return nil
}

// compositeChecksum is a multipart upload's checksum: the checksum of the concatenated raw part
// checksums, followed by "-<number of parts>".
func compositeChecksum(algorithm string, partValues []string) string {
	h := checksumAlgorithms[algorithm]()
	for _, v := range partValues {
		raw, _ := base64.StdEncoding.DecodeString(v)
		h.Write(raw)
	}
	return base64.StdEncoding.EncodeToString(h.Sum(nil)) + "-" + strconv.Itoa(len(partValues))
}
