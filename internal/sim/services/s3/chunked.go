package s3

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// aws-chunked is the body encoding of S3 streaming uploads
// (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html and
// sigv4-streaming-trailers.html). A request announces it with Content-Encoding: aws-chunked or an
// x-amz-content-sha256 of STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]
// (or the ECDSA variants), and gives the payload's size in x-amz-decoded-content-length:
//
//	<size in hex>[;chunk-signature=<signature>]\r\n<size bytes>\r\n   ... repeated
//	0[;chunk-signature=<signature>]\r\n                                 the final chunk
//	<trailer name>:<value>\r\n                                          zero or more trailers
//	\r\n
//
// Only the payload is the object; chunk signatures are not verified (the simulator checks no
// signatures unless --require-auth, which is the router's business), and trailers carry the
// checksum that S3 verifies.

// maxChunkLine bounds a chunk header or trailer line; real ones are under 200 bytes.
const maxChunkLine = 4096

// isAWSChunked reports whether a request body is aws-chunked.
func isAWSChunked(h http.Header) bool {
	if strings.HasPrefix(h.Get("X-Amz-Content-Sha256"), "STREAMING-") {
		return true
	}
	for _, v := range h.Values("Content-Encoding") {
		for _, enc := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(enc), "aws-chunked") {
				return true
			}
		}
	}
	return false
}

// storedContentEncoding is the Content-Encoding S3 stores: the request's without aws-chunked,
// which describes only the transfer.
func storedContentEncoding(h http.Header) string {
	var kept []string
	for _, v := range h.Values("Content-Encoding") {
		for _, enc := range strings.Split(v, ",") {
			enc = strings.TrimSpace(enc)
			if enc != "" && !strings.EqualFold(enc, "aws-chunked") {
				kept = append(kept, enc)
			}
		}
	}
	return strings.Join(kept, ",")
}

// chunkedReader decodes an aws-chunked body into its payload. Trailers is complete once Read has
// returned io.EOF.
type chunkedReader struct {
	r        *bufio.Reader
	left     int64 // payload bytes left in the current chunk
	done     bool
	err      error
	Trailers http.Header
}

func newChunkedReader(r io.Reader) *chunkedReader {
	return &chunkedReader{r: bufio.NewReaderSize(r, 64<<10), Trailers: http.Header{}}
}

var errChunkTruncated = errors.New("the body ended inside a chunk")

func (c *chunkedReader) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	if c.done {
		return 0, io.EOF
	}
	if c.left == 0 {
		if err := c.nextChunk(); err != nil {
			c.err = err
			return 0, err
		}
		if c.done {
			return 0, io.EOF
		}
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	switch {
	case errors.Is(err, io.EOF) && c.left > 0:
		err = errChunkTruncated
	case (err == nil || errors.Is(err, io.EOF)) && c.left == 0:
		err = c.expectCRLF()
	}
	if err != nil {
		c.err = err
	}
	return n, err
}

// nextChunk reads a chunk header; the final chunk also consumes the trailers.
func (c *chunkedReader) nextChunk() error {
	line, err := c.line()
	if errors.Is(err, io.EOF) {
		return errChunkTruncated
	}
	if err != nil {
		return err
	}
	sizeText, _, _ := strings.Cut(line, ";")
	sizeText = strings.TrimSpace(sizeText)
	if sizeText == "" || len(sizeText) > 15 {
		return fmt.Errorf("invalid chunk size %q", sizeText)
	}
	size, err := strconv.ParseInt(sizeText, 16, 64)
	if err != nil || size < 0 {
		return fmt.Errorf("invalid chunk size %q", sizeText)
	}
	if size > 0 {
		c.left = size
		return nil
	}
	c.done = true
	return c.trailers()
}

// trailers reads "name:value" lines up to the empty line that ends the body. A body that ends
// right after the final chunk (no trailer section at all) is accepted, as some clients send it.
func (c *chunkedReader) trailers() error {
	for {
		line, err := c.line()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if line == "" {
			return nil
		}
		name, value, ok := strings.Cut(line, ":")
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			return fmt.Errorf("invalid trailer line %q", line)
		}
		c.Trailers.Add(name, strings.TrimSpace(value))
	}
}

// line reads one CRLF-terminated line and returns it without the CRLF.
func (c *chunkedReader) line() (string, error) {
	var b []byte
	for {
		frag, err := c.r.ReadSlice('\n')
		b = append(b, frag...)
		if len(b) > maxChunkLine {
			return "", errors.New("chunk header or trailer line too long")
		}
		if err == nil {
			break
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if errors.Is(err, io.EOF) {
			if len(b) == 0 {
				return "", io.EOF
			}
			return "", errChunkTruncated
		}
		return "", err
	}
	if !bytes.HasSuffix(b, []byte("\r\n")) {
		return "", errors.New("line not terminated by CRLF")
	}
	return string(b[:len(b)-2]), nil
}

func (c *chunkedReader) expectCRLF() error {
	var crlf [2]byte
	if _, err := io.ReadFull(c.r, crlf[:]); err != nil {
		return errChunkTruncated
	}
	if crlf != [2]byte{'\r', '\n'} {
		return errors.New("chunk data not followed by CRLF")
	}
	return nil
}
