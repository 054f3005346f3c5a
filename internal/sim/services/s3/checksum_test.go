package s3

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"math/rand"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

func TestS3_crc64NVMECheckValue(t *testing.T) {
	// CRC-64/NVME's check value (the CRC of "123456789") is 0xae8b14860a799888.
	want := make([]byte, 8)
	binary.BigEndian.PutUint64(want, 0xae8b14860a799888)
	if got := computeChecksum("CRC64NVME", []byte("123456789")); got != base64.StdEncoding.EncodeToString(want) {
		t.Fatalf("got %s", got)
	}
}

// TestS3_sdkChecksums puts an object with every checksum algorithm the SDK offers, over plain HTTP
// (checksum in a header) and over HTTPS (aws-chunked body with the checksum in a trailer, the SDK's
// default), and reads it back with checksum validation on.
func TestS3_sdkChecksums(t *testing.T) {
	payload := bytes.Repeat([]byte("0123456789abcdef-"), 5000) // 85 KB: several aws-chunked chunks
	algorithms := []types.ChecksumAlgorithm{"", types.ChecksumAlgorithmCrc32, types.ChecksumAlgorithmCrc32c,
		types.ChecksumAlgorithmCrc64nvme, types.ChecksumAlgorithmSha1, types.ChecksumAlgorithmSha256}
	for _, tls := range []bool{false, true} {
		t.Run(fmt.Sprintf("tls=%v", tls), func(t *testing.T) {
			var opts []envOption
			if tls {
				opts = append(opts, withTLS())
			}
			e := newEnv(t, opts...)
			mustCreateBucket(t, e.client, "sums")
			for _, alg := range algorithms {
				key := "obj-" + string(alg)
				before := len(e.headers())
				if _, err := e.client.PutObject(ctx(), &awss3.PutObjectInput{Bucket: aws.String("sums"), Key: aws.String(key),
					Body: bytes.NewReader(payload), ChecksumAlgorithm: alg}); err != nil {
					t.Fatalf("%s: %v", alg, err)
				}
				sent := e.headers()[before]
				chunked := isAWSChunked(sent)
				if chunked != tls {
					t.Fatalf("%s: aws-chunked=%v over tls=%v; headers %v", alg, chunked, tls, sent)
				}
				if chunked && (sent.Get("X-Amz-Trailer") == "" || sent.Get("X-Amz-Decoded-Content-Length") != strconv.Itoa(len(payload))) {
					t.Fatalf("%s: trailer %q decoded length %q", alg, sent.Get("X-Amz-Trailer"), sent.Get("X-Amz-Decoded-Content-Length"))
				}
				out, err := e.client.GetObject(ctx(), &awss3.GetObjectInput{Bucket: aws.String("sums"), Key: aws.String(key), ChecksumMode: types.ChecksumModeEnabled})
				if err != nil {
					t.Fatalf("%s: %v", alg, err)
				}
				data, err := io.ReadAll(out.Body) // the SDK validates the checksum while reading
				out.Body.Close()
				if err != nil || !bytes.Equal(data, payload) {
					t.Fatalf("%s: stored %d bytes, want %d (%v)", alg, len(data), len(payload), err)
				}
				wantAlg := string(alg)
				if wantAlg == "" {
					wantAlg = "CRC32" // the SDK's default
				}
				stored := map[string]*string{"CRC32": out.ChecksumCRC32, "CRC32C": out.ChecksumCRC32C, "CRC64NVME": out.ChecksumCRC64NVME,
					"SHA1": out.ChecksumSHA1, "SHA256": out.ChecksumSHA256}[wantAlg]
				if aws.ToString(stored) != computeChecksum(wantAlg, payload) || out.ChecksumType != types.ChecksumTypeFullObject {
					t.Fatalf("%s: checksum %q type %q", alg, aws.ToString(stored), out.ChecksumType)
				}
			}
		})
	}
}

func chunkedBody(payload []byte, chunk int, signed bool, trailers ...string) string {
	var b strings.Builder
	ext := ""
	if signed {
		ext = ";chunk-signature=" + strings.Repeat("ab", 32)
	}
	for len(payload) > 0 {
		n := min(chunk, len(payload))
		fmt.Fprintf(&b, "%x%s\r\n%s\r\n", n, ext, payload[:n])
		payload = payload[n:]
	}
	fmt.Fprintf(&b, "0%s\r\n", ext)
	for _, t := range trailers {
		b.WriteString(t + "\r\n")
	}
	b.WriteString("\r\n")
	return b.String()
}

func crc32Of(data []byte) string {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], crc32.ChecksumIEEE(data))
	return base64.StdEncoding.EncodeToString(b[:])
}

func TestS3_awsChunkedRaw(t *testing.T) {
	e := newEnv(t)
	mustCreateBucket(t, e.client, "raw")
	payload := []byte("the payload, and only the payload, is the object")
	// Signed chunks without trailer (STREAMING-AWS4-HMAC-SHA256-PAYLOAD), as older SDKs send.
	resp, body := e.raw(http.MethodPut, "/raw/signed", chunkedBody(payload, 10, true), map[string]string{
		"X-Amz-Content-Sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "Content-Encoding": "aws-chunked,gzip",
		"X-Amz-Decoded-Content-Length": strconv.Itoa(len(payload))})
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	got, out := getBody(t, e.client, "raw", "signed")
	if got != string(payload) || aws.ToString(out.ContentEncoding) != "gzip" {
		t.Fatalf("stored %q encoding %q", got, aws.ToString(out.ContentEncoding))
	}
	// Unsigned with a trailing checksum; a wrong trailer is BadDigest.
	headers := map[string]string{"X-Amz-Content-Sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "Content-Encoding": "aws-chunked",
		"X-Amz-Decoded-Content-Length": strconv.Itoa(len(payload)), "X-Amz-Trailer": "x-amz-checksum-crc32"}
	resp, body = e.raw(http.MethodPut, "/raw/trailer", chunkedBody(payload, 16, false, "x-amz-checksum-crc32:"+crc32Of(payload)), headers)
	if resp.StatusCode != 200 || resp.Header.Get("X-Amz-Checksum-Crc32") != crc32Of(payload) {
		t.Fatalf("%d %s %v", resp.StatusCode, body, resp.Header)
	}
	resp, body = e.raw(http.MethodPut, "/raw/trailer", chunkedBody(payload, 16, false, "x-amz-checksum-crc32:"+crc32Of([]byte("other"))), headers)
	if resp.StatusCode != 400 || !strings.Contains(body, "<Code>BadDigest</Code>") {
		t.Fatalf("bad trailer: %d %s", resp.StatusCode, body)
	}
	resp, body = e.raw(http.MethodPut, "/raw/trailer", chunkedBody(payload, 16, false), headers)
	if resp.StatusCode != 400 || !strings.Contains(body, "<Code>InvalidRequest</Code>") {
		t.Fatalf("missing trailer: %d %s", resp.StatusCode, body)
	}
	// A decoded length that does not match the payload, and a truncated body.
	headers["X-Amz-Decoded-Content-Length"] = strconv.Itoa(len(payload) + 1)
	resp, body = e.raw(http.MethodPut, "/raw/short", chunkedBody(payload, 16, false, "x-amz-checksum-crc32:"+crc32Of(payload)), headers)
	if resp.StatusCode != 400 || !strings.Contains(body, "<Code>IncompleteBody</Code>") {
		t.Fatalf("short: %d %s", resp.StatusCode, body)
	}
	headers["X-Amz-Decoded-Content-Length"] = strconv.Itoa(len(payload))
	full := chunkedBody(payload, 16, false)
	resp, body = e.raw(http.MethodPut, "/raw/cut", full[:30], headers)
	if resp.StatusCode != 400 || !strings.Contains(body, "<Code>IncompleteBody</Code>") {
		t.Fatalf("truncated: %d %s", resp.StatusCode, body)
	}
	// A checksum header with a wrong value.
	resp, body = e.raw(http.MethodPut, "/raw/hdr", "abc", map[string]string{"X-Amz-Checksum-Crc32": crc32Of([]byte("abd"))})
	if resp.StatusCode != 400 || !strings.Contains(body, "<Message>The CRC32 you specified did not match the calculated checksum.</Message>") {
		t.Fatalf("bad header: %d %s", resp.StatusCode, body)
	}
	resp, body = e.raw(http.MethodPut, "/raw/hdr", "abc", map[string]string{"X-Amz-Checksum-Crc32": crc32Of([]byte("abc")), "X-Amz-Checksum-Sha1": "x"})
	if resp.StatusCode != 400 || !strings.Contains(body, "Multiple checksum Types") {
		t.Fatalf("two checksums: %d %s", resp.StatusCode, body)
	}
}

func TestS3_chunkedReader(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 200; i++ {
		payload := make([]byte, rng.Intn(3000))
		rng.Read(payload)
		chunk := 1 + rng.Intn(700)
		body := chunkedBody(payload, chunk, rng.Intn(2) == 0, "x-amz-checksum-crc32:"+crc32Of(payload))
		cr := newChunkedReader(strings.NewReader(body))
		got, err := io.ReadAll(cr)
		if err != nil || !bytes.Equal(got, payload) {
			t.Fatalf("case %d: %v (%d vs %d bytes)", i, err, len(got), len(payload))
		}
		if cr.Trailers.Get("X-Amz-Checksum-Crc32") != crc32Of(payload) {
			t.Fatalf("case %d: trailers %v", i, cr.Trailers)
		}
	}
	for name, body := range map[string]string{
		"no final chunk":   "5\r\nhello\r\n",
		"short chunk":      "5\r\nhel",
		"no crlf after":    "5\r\nhelloX\r\n0\r\n\r\n",
		"bad size":         "zz\r\nhello\r\n0\r\n\r\n",
		"negative size":    "-5\r\nhello\r\n0\r\n\r\n",
		"huge size":        "7fffffffffffffff\r\nhello\r\n0\r\n\r\n",
		"bare lf":          "5\nhello\r\n0\r\n\r\n",
		"bad trailer":      "5\r\nhello\r\n0\r\nnocolon\r\n\r\n",
		"long header line": strings.Repeat("1", 5000) + "\r\n",
	} {
		if _, err := io.ReadAll(newChunkedReader(strings.NewReader(body))); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	// No trailer section at all after the final chunk is accepted.
	if got, err := io.ReadAll(newChunkedReader(strings.NewReader("5\r\nhello\r\n0\r\n"))); err != nil || string(got) != "hello" {
		t.Fatalf("bare final chunk: %q %v", got, err)
	}
}

// FuzzChunkedReader feeds arbitrary bodies to the aws-chunked decoder: it must never panic, never
// return more bytes than the chunk sizes announce, and decode what it encodes.
func FuzzChunkedReader(f *testing.F) {
	f.Add([]byte(chunkedBody([]byte("Hello world"), 4, false, "x-amz-checksum-crc32:i9aeUg==")), 4)
	f.Add([]byte(chunkedBody([]byte("Hello world"), 64, true)), 64)
	f.Add([]byte("b\r\nHello world\r\n0\r\nx-amz-checksum-sha256:ZOyIygCyaOW6GjVnihtTFtIS9PNmskdyMlNKiuyjfzw=\r\n\r\n"), 11)
	f.Add([]byte("0;chunk-signature=abc\r\n\r\n"), 1)
	f.Fuzz(func(t *testing.T, body []byte, chunk int) {
		cr := newChunkedReader(bytes.NewReader(body))
		got, err := io.ReadAll(io.LimitReader(cr, int64(len(body))+1))
		if err == nil && len(got) > len(body) {
			t.Fatalf("decoded %d bytes from a %d-byte body", len(got), len(body))
		}
		if chunk < 1 || chunk > 1<<16 {
			return
		}
		enc := chunkedBody(body, chunk, chunk%2 == 0, "x-amz-checksum-crc32:"+crc32Of(body))
		back, err := io.ReadAll(newChunkedReader(strings.NewReader(enc)))
		if err != nil || !bytes.Equal(back, body) {
			t.Fatalf("round trip: %v", err)
		}
	})
}
