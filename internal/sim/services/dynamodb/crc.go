package dynamodb

import (
	"bytes"
	"hash/crc32"
	"net/http"
	"strconv"
)

// The AWS SDKs check DynamoDB answers against their X-Amz-Crc32 header, the CRC32 (IEEE) of the
// body as a decimal number (aws-sdk-go-v2 service/dynamodb/internal/customizations/checksum.go),
// and fail the call on a mismatch. AWS sends it on DynamoDB Streams answers too.

// withCRC32 buffers h's answer to send it with its X-Amz-Crc32 header.
func withCRC32(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cw := &crcWriter{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(cw, r)
		w.Header().Set("X-Amz-Crc32", strconv.FormatUint(uint64(crc32.ChecksumIEEE(cw.body.Bytes())), 10))
		w.Header().Set("Content-Length", strconv.Itoa(cw.body.Len()))
		w.WriteHeader(cw.status)
		w.Write(cw.body.Bytes())
	})
}

type crcWriter struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (c *crcWriter) WriteHeader(status int) { c.status = status }

func (c *crcWriter) Write(b []byte) (int, error) { return c.body.Write(b) }
